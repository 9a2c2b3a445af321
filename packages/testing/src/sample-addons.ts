// A Git repository of Odoo addons for tests and the quickstart: a bare repository on this
// machine (which is also the stack's SSH host), with commits made through a scratch clone.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface SampleAddonsRepository {
  /** `file://` URL that `git clone` on the SSH host accepts. */
  url: string;
  /** The bare repository's directory. */
  path: string;
  branch: string;
  /** Writes files (path -> content; null deletes), commits them, pushes; returns the commit. */
  commit(message: string, files: Record<string, string | null>): Promise<string>;
}

/** An addon directory's files: a manifest with this version and an empty module. */
export function addonFiles(
  name: string,
  version: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  const manifest = `{\n    'name': '${name}',\n    'version': '${version}',\n    'depends': ['base'],\n    'license': 'LGPL-3',\n}\n`;
  const files: Record<string, string> = {
    [`${name}/__manifest__.py`]: manifest,
    [`${name}/__init__.py`]: '',
  };
  for (const [file, content] of Object.entries(extra)) files[`${name}/${file}`] = content;
  return files;
}

const git = (cwd: string, ...args: string[]) =>
  run('git', ['-c', 'user.name=CloudWady', '-c', 'user.email=cloudwady@localhost', ...args], { cwd });

/** Creates the bare repository at `path` with a first commit of `files` on `branch`. */
export async function createSampleAddons(
  path: string,
  files: Record<string, string> = addonFiles('cw_hello', '17.0.1.0.0'),
  branch = 'main',
): Promise<SampleAddonsRepository> {
  await mkdir(dirname(path), { recursive: true });
  await rm(path, { recursive: true, force: true });
  await run('git', ['init', '--quiet', '--bare', `--initial-branch=${branch}`, path]);
  const scratch = await mkdtemp(join(dirname(path), '.work-'));
  await git(scratch, 'clone', '--quiet', path, '.');
  await git(scratch, 'checkout', '--quiet', '-B', branch);

  const repository: SampleAddonsRepository = {
    url: `file://${path}`,
    path,
    branch,
    async commit(message, changes) {
      for (const [file, content] of Object.entries(changes)) {
        const target = join(scratch, file);
        if (content === null) await rm(target, { force: true });
        else {
          await mkdir(dirname(target), { recursive: true });
          await writeFile(target, content);
        }
      }
      await git(scratch, 'add', '--all');
      await git(scratch, 'commit', '--quiet', '-m', message);
      await git(scratch, 'push', '--quiet', 'origin', `HEAD:refs/heads/${branch}`);
      return (await git(scratch, 'rev-parse', 'HEAD')).stdout.trim();
    },
  };
  await repository.commit('Initial addons', files);
  return repository;
}
