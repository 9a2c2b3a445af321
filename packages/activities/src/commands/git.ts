// git commands as argv arrays, for the mirror of an app's repository kept on the build host.
// Options always come before a `--` / `--end-of-options` separator and refs are fully
// qualified (refs/heads/...), so no branch name or URL can be read as an option.
import * as v from './validate.js';

/**
 * A branch name as git itself accepts it (`git check-ref-format --branch`), minus a leading '-'.
 * Names like `$(id)` are valid to git: they stay one inert argv element.
 */
export function branchName(field: string, value: unknown): string {
  const name = v.plainText(field, value);
  const problems: [boolean, string][] = [
    [name.length === 0 || name.length > 255, 'must be 1 to 255 characters'],
    [name.startsWith('-'), "must not start with '-'"],
    [/[\s~^:?*[\\]/.test(name), 'must not contain spaces or any of ~ ^ : ? * [ \\'],
    [name.includes('..') || name.includes('@{') || name === '@', "must not contain '..' or '@{' or be '@'"],
    [
      name.startsWith('/') || name.endsWith('/') || name.includes('//'),
      'must not have empty path components',
    ],
    [
      name.split('/').some((part) => part.startsWith('.') || part.endsWith('.lock')),
      'has a component starting with . or ending with .lock',
    ],
    [name.endsWith('.'), "must not end with '.'"],
  ];
  const problem = problems.find(([bad]) => bad);
  if (problem) throw new v.CommandInputError(field, problem[1], name);
  return name;
}

/** A full commit id (SHA-1 or SHA-256). */
export function commitId(field: string, value: unknown): string {
  const text = v.requireString(field, value);
  if (!/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(text)) {
    throw new v.CommandInputError(field, 'must be a full hex commit id', text);
  }
  return text;
}

/**
 * A repository URL over https, ssh, git or file (file:// serves local test repositories), or
 * scp-like `user@host:path`. Transport helpers (`ext::...`) and option-like values are refused.
 */
export function repositoryUrl(field: string, value: unknown): string {
  const url = v.plainText(field, value, { secret: true });
  const host = '[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?';
  const ok =
    /^(?:https|ssh|git):\/\/[^\s/]+\/[^\s]*$/.test(url) ||
    /^file:\/\/\/[^\s]+$/.test(url) ||
    new RegExp(`^[A-Za-z0-9._-]+@${host}:[A-Za-z0-9._~/-]+$`).test(url);
  if (!ok)
    throw new v.CommandInputError(
      field,
      'must be an https://, ssh://, git://, file:/// or user@host:path URL',
    );
  if (/^(?:https|ssh|git):\/\/-/.test(url))
    throw new v.CommandInputError(field, "host must not start with '-'");
  return url;
}

const git = (gitDir: string | undefined, ...args: string[]): string[] => [
  'git',
  ...(gitDir === undefined ? [] : ['--git-dir', v.absolutePath('gitDir', gitDir)]),
  ...args,
];

/** Mirror-clone a repository (all refs, bare) into `dir`. */
export function cloneMirror(url: string, dir: string): string[] {
  return git(undefined, 'clone', '--mirror', '--', repositoryUrl('url', url), v.absolutePath('dir', dir));
}

/** Update the mirror: every branch, or one (`+refs/heads/B:refs/heads/B`). Deleted refs go too. */
export function fetch(gitDir: string, { branch }: { branch?: string } = {}): string[] {
  const refspec =
    branch === undefined ? [] : [`+refs/heads/${branchName('branch', branch)}:refs/heads/${branch}`];
  return git(gitDir, 'fetch', '--prune', '--', 'origin', ...refspec);
}

/** The commit a branch of the mirror points at (prints the full id; exit 1 if missing). */
export function revParse(gitDir: string, branch: string): string[] {
  return git(
    gitDir,
    'rev-parse',
    '--verify',
    '--quiet',
    '--end-of-options',
    `refs/heads/${branchName('branch', branch)}^{commit}`,
  );
}

/** The head commit of a remote branch without cloning (`<id>\trefs/heads/<branch>`). */
export function lsRemote(url: string, branch: string): string[] {
  return git(
    undefined,
    'ls-remote',
    '--heads',
    '--',
    repositoryUrl('url', url),
    `refs/heads/${branchName('branch', branch)}`,
  );
}

/** A tar of a commit's tree, written to `outputPath` (or stdout), entries under `prefix/`. */
export function archive(
  gitDir: string,
  commit: string,
  { outputPath, prefix }: { outputPath?: string; prefix?: string } = {},
): string[] {
  if (prefix !== undefined && !/^[A-Za-z0-9._-]+$/.test(prefix)) {
    throw new v.CommandInputError('prefix', 'must be one path component of [A-Za-z0-9._-]', prefix);
  }
  return git(
    gitDir,
    'archive',
    '--format=tar',
    ...(prefix === undefined ? [] : [`--prefix=${prefix}/`]),
    ...(outputPath === undefined ? [] : [`--output=${v.absolutePath('outputPath', outputPath)}`]),
    '--end-of-options',
    commitId('commit', commit),
  );
}
