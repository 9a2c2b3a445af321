// git commands the build needs beyond commands/git.ts, as argv arrays (same rules: options
// before `--` / `--end-of-options`, validated commit ids and paths, the mirror named by
// --git-dir). Pure; source.ts runs them.
import { commitId, repositoryUrl } from '../commands/git.js';
import * as v from '../commands/validate.js';

const git = (gitDir: string, ...args: string[]): string[] => [
  'git',
  '--git-dir',
  v.absolutePath('gitDir', gitDir),
  ...args,
];

/**
 * Wrap a git argv so it can never wait for a person: no credential prompt, no interactive
 * ssh host-key or password question. It fails instead, with a message.
 */
export function nonInteractive(argv: string[]): string[] {
  return ['env', 'GIT_TERMINAL_PROMPT=0', 'GIT_SSH_COMMAND=ssh -o BatchMode=yes', ...argv];
}

/** The URL the mirror fetches from. */
export function remoteUrl(gitDir: string): string[] {
  return git(gitDir, 'config', '--get', 'remote.origin.url');
}

/** Point the mirror at another URL (the app's repository setting changed). */
export function setRemoteUrl(gitDir: string, url: string): string[] {
  return git(gitDir, 'remote', 'set-url', '--', 'origin', repositoryUrl('url', url));
}

/** Every file path of a commit's tree, NUL-separated. */
export function listFiles(gitDir: string, commit: string): string[] {
  return git(gitDir, 'ls-tree', '-r', '-z', '--name-only', '--end-of-options', commitId('commit', commit));
}

/** The entry at `path` in a commit (`<mode> <type> <id>\t<path>\0`), or nothing. */
export function treeEntry(gitDir: string, commit: string, path: string): string[] {
  return git(
    gitDir,
    'ls-tree',
    '-z',
    '--end-of-options',
    commitId('commit', commit),
    '--',
    repoPath('path', path),
  );
}

/** Paths that differ between two commits, NUL-separated; renames listed as delete + add. */
export function changedFiles(gitDir: string, from: string, to: string): string[] {
  return git(
    gitDir,
    'diff',
    '--name-only',
    '-z',
    '--no-renames',
    '--no-ext-diff',
    '--end-of-options',
    commitId('from', from),
    commitId('to', to),
    '--',
  );
}

/** Exits 0 when the mirror has the commit. */
export function commitExists(gitDir: string, commit: string): string[] {
  return git(gitDir, 'cat-file', '-e', '--end-of-options', `${commitId('commit', commit)}^{commit}`);
}

/** A relative path inside a repository: safe characters, no empty, '.' or '..' segments. */
export function repoPath(field: string, value: unknown): string {
  const text = v.requireString(field, value);
  if (
    !/^[A-Za-z0-9_@+][A-Za-z0-9._@+/-]*$/.test(text) ||
    text.length > 4096 ||
    text.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')
  ) {
    throw new v.CommandInputError(
      field,
      'must be a relative path of [A-Za-z0-9._@+/-] inside the repository',
      text,
    );
  }
  return text;
}
