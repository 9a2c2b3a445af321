// The app's source on its server: a bare mirror of the repository at <appDir>/source.git, kept
// up to date with fetch, from which builds take a commit's tree. Questions about a commit
// (its modules, what changed, whether it has a file) are answered from the mirror.
import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import * as gitCommands from '../commands/git.js';
import * as v from '../commands/validate.js';
import { CommandInputError } from '../commands/validate.js';
import type { SshConnectionPool } from '../host/connection-pool.js';
import { redactArgv } from '../host/errors.js';
import { run, runChecked } from '../host/exec.js';
import type { HostServer } from '../host/server.js';
import { exists, mkdirp } from '../host/sftp.js';
import { SourceError } from './errors.js';
import * as buildGit from './git.js';

export interface HostOptions {
  signal?: AbortSignal;
  pool?: SshConnectionPool;
}

export interface SyncSourceOptions extends HostOptions {
  /** The app's directory on the server; the mirror is `<appDir>/source.git`. */
  appDir: string;
  repository: string;
  branch: string;
  /** git's output lines (credentials in URLs redacted). */
  onOutput?: (line: string) => void;
  /** Stop a clone or fetch after this long. Default 20 minutes. */
  timeoutMs?: number;
}

const DEFAULT_GIT_TIMEOUT_MS = 20 * 60_000;

/** Where the app's mirror lives on its server. */
export function mirrorDir(appDir: string): string {
  return posix.join(v.absolutePath('appDir', appDir), 'source.git');
}

/** Hide `user:token@` in URLs (git may print the repository URL in its errors). */
function redact(text: string): string {
  return text
    .split('\n')
    .map((line) => redactArgv([line])[0] ?? '')
    .join('\n');
}

function lastLines(text: string, count = 5): string {
  return redact(text.trim()).split('\n').slice(-count).join('\n');
}

/** Input errors (bad URL, hostile branch name) become a SourceError saying what to fix. */
function validated<T>(what: () => T): T {
  try {
    return what();
  } catch (err) {
    if (err instanceof CommandInputError) {
      throw new SourceError(`${err.message}; fix the app's repository or branch setting`, 'INVALID_SOURCE', {
        cause: err,
      });
    }
    throw err;
  }
}

/**
 * Bring the server's mirror of `repository` up to date (clone it the first time, fetch after)
 * and return the commit `branch` points at. Running it twice has the same effect as once.
 */
export async function syncSource(
  server: HostServer,
  options: SyncSourceOptions,
): Promise<{ commitSha: string }> {
  const { repository, branch, signal, pool } = options;
  const mirror = mirrorDir(options.appDir);
  // Validate everything before touching the server: bad input changes nothing.
  const cloneArgv = validated(() => {
    gitCommands.branchName('branch', branch);
    return gitCommands.cloneMirror(repository, `${mirror}.tmp-${randomBytes(6).toString('hex')}`);
  });
  const gitRun = (argv: string[]) =>
    run(server, buildGit.nonInteractive(argv), {
      signal,
      pool,
      timeoutMs: options.timeoutMs ?? DEFAULT_GIT_TIMEOUT_MS,
      onOutput: options.onOutput && ((line) => options.onOutput?.(redact(line))),
    });

  if (await exists(server, posix.join(mirror, 'HEAD'), { pool })) {
    const current = await runChecked(server, buildGit.remoteUrl(mirror), { signal, pool }).then(
      (r) => r.stdout.trim(),
      () => '',
    );
    if (current !== repository)
      await runChecked(server, buildGit.setRemoteUrl(mirror, repository), { signal, pool });
    const fetched = await gitRun(gitCommands.fetch(mirror));
    if (fetched.exitCode !== 0) {
      throw new SourceError(
        `cannot fetch ${redact(repository)}: ${lastLines(fetched.stderr)}\n` +
          'check that the repository URL is right and that the server can reach it (network, deploy key or token)',
        'REPOSITORY_UNAVAILABLE',
      );
    }
  } else {
    await cloneInto(server, mirror, cloneArgv, gitRun, { signal, pool }, repository);
  }

  const parsed = await run(server, gitCommands.revParse(mirror, branch), { signal, pool });
  const commitSha = parsed.stdout.trim();
  if (parsed.exitCode !== 0 || commitSha === '') {
    throw new SourceError(
      `branch ${JSON.stringify(branch)} does not exist in ${redact(repository)}; push it or choose an existing branch`,
      'BRANCH_NOT_FOUND',
    );
  }
  return { commitSha: gitCommands.commitId('commitSha', commitSha) };
}

/**
 * Clone into a temporary directory beside the mirror, then rename it into place: a clone cut
 * short (crash, cancel) never leaves a half-made mirror that later runs would trust.
 */
async function cloneInto(
  server: HostServer,
  mirror: string,
  cloneArgv: string[],
  gitRun: (argv: string[]) => ReturnType<typeof run>,
  { signal, pool }: HostOptions,
  repository: string,
): Promise<void> {
  const temp = cloneArgv[cloneArgv.length - 1] as string;
  await mkdirp(server, posix.dirname(mirror), { pool });
  try {
    const cloned = await gitRun(cloneArgv);
    if (cloned.exitCode !== 0) {
      throw new SourceError(
        `cannot clone ${redact(repository)}: ${lastLines(cloned.stderr)}\n` +
          'check that the repository URL is right and that the server can reach it (network, deploy key or token)',
        'REPOSITORY_UNAVAILABLE',
      );
    }
    const moved = await run(server, ['mv', '-T', '--', temp, mirror], { signal, pool });
    // Lost a race with another clone of the same app: theirs is as good as ours.
    if (moved.exitCode !== 0 && !(await exists(server, posix.join(mirror, 'HEAD'), { pool }))) {
      throw new Error(`cannot move the new mirror into ${mirror}: ${moved.stderr.trim()}`);
    }
  } finally {
    await run(server, ['rm', '-rf', '--', temp], { pool }).catch(() => {});
  }
}

export interface CommitOptions extends HostOptions {
  appDir: string;
  commitSha: string;
}

/** An Odoo module is a top-level directory with a manifest; its name must be importable. */
const MODULE_NAME = /^[A-Za-z0-9_]+$/;

/** The commit's Odoo modules: top-level directories holding `__manifest__.py`, sorted. */
export async function listModules(server: HostServer, options: CommitOptions): Promise<string[]> {
  const { stdout } = await runChecked(
    server,
    buildGit.listFiles(mirrorDir(options.appDir), options.commitSha),
    {
      signal: options.signal,
      pool: options.pool,
    },
  );
  return modulesOf(stdout.split('\0'));
}

/** Module names from a tree's file paths (pure; exported for tests). */
export function modulesOf(paths: readonly string[]): string[] {
  const modules = new Set<string>();
  for (const path of paths) {
    const [dir, file, ...rest] = path.split('/');
    if (rest.length === 0 && file === '__manifest__.py' && dir !== undefined && MODULE_NAME.test(dir)) {
      modules.add(dir);
    }
  }
  return [...modules].sort();
}

export interface ChangedModulesOptions extends HostOptions {
  appDir: string;
  from: string;
  to: string;
}

/**
 * Modules with a changed file between two commits, among the modules that exist at `to` (a
 * removed module cannot be updated). When `from` is no longer known to the mirror (a force
 * push and garbage collection), every module at `to` is reported: updating too much is safe,
 * missing a change is not.
 */
export async function changedModules(server: HostServer, options: ChangedModulesOptions): Promise<string[]> {
  const { appDir, from, to, signal, pool } = options;
  const mirror = mirrorDir(appDir);
  const modules = await listModules(server, { appDir, commitSha: to, signal, pool });
  const diff = await run(server, buildGit.changedFiles(mirror, from, to), { signal, pool });
  if (diff.exitCode !== 0) {
    const known = await run(server, buildGit.commitExists(mirror, from), { signal, pool });
    if (known.exitCode !== 0) return modules;
    throw new Error(`git diff ${from} ${to} failed: ${diff.stderr.trim()}`);
  }
  const touched = new Set(diff.stdout.split('\0').map((path) => path.split('/')[0]));
  return modules.filter((name) => touched.has(name));
}

export interface HasFileOptions extends CommitOptions {
  /** Path inside the repository, e.g. `requirements.txt`. */
  path: string;
}

/** Whether the commit has a regular file (or symlink) at `path`. */
export async function hasFile(server: HostServer, options: HasFileOptions): Promise<boolean> {
  const { stdout } = await runChecked(
    server,
    buildGit.treeEntry(mirrorDir(options.appDir), options.commitSha, options.path),
    { signal: options.signal, pool: options.pool },
  );
  // `<mode> <type> <id>\t<path>`: blobs are files (100644/100755) and symlinks (120000).
  const entry = stdout.split('\0').find((line) => line.endsWith(`\t${options.path}`));
  return entry !== undefined && / blob /.test(entry);
}
