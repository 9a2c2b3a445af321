// The image build against the real stack: a repository served from a bare git repo on the host,
// its mirror on the SSH host, and images built by the Docker Engine reached through the SSH
// connection. The test machine IS the host, so the test prepares repositories with local git.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type SshHost, type Stack, startStack } from '@cloudwady/testing';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  changedModules,
  ensureImage,
  hasFile,
  ImageBuildError,
  listModules,
  SourceError,
  syncSource,
} from '../src/build/index.js';
import { SshConnectionPool } from '../src/host/connection-pool.js';
import { dockerFor } from '../src/host/docker.js';

const rand = () => randomBytes(5).toString('hex');

let stack: Stack;
let server: SshHost;
let pool: SshConnectionPool;
let docker: Docker;
let dir: string;
let work: string;
let repository: string;
let baseImage: string;
const appId = `app_test_${rand()}`;

/** git in the test's working copy, never through a shell. */
function git(...args: string[]): string {
  return execFileSync(
    'git',
    ['-c', 'user.name=CloudWady Test', '-c', 'user.email=test@cloudwady.invalid', ...args],
    {
      cwd: work,
      encoding: 'utf8',
    },
  ).trim();
}

function addon(name: string, version = '17.0.1.0.0'): void {
  mkdirSync(join(work, name), { recursive: true });
  writeFileSync(
    join(work, name, '__manifest__.py'),
    `{'name': '${name}', 'version': '${version}', 'license': 'LGPL-3'}\n`,
  );
  writeFileSync(join(work, name, '__init__.py'), '');
}

beforeAll(async () => {
  stack = await startStack({ services: ['ssh', 'docker', 'images'] });
  const first = stack.hosts[0];
  const odoo = stack.images.odoo['17.0'];
  if (first === undefined || odoo === undefined)
    throw new Error('the stack has no SSH host or no Odoo 17.0 image');
  server = first;
  baseImage = odoo;
  pool = new SshConnectionPool();
  docker = dockerFor(server, { pool });

  dir = join(stack.stateDir, `build-test-${rand()}`);
  work = join(dir, 'work');
  mkdirSync(work, { recursive: true });
  execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', join(dir, 'origin.git')]);
  repository = `file://${join(dir, 'origin.git')}`;
  git('init', '--quiet', '--initial-branch=main');
  addon('cw_hello');
  addon('cw_extra');
  writeFileSync(join(work, 'README.md'), 'test addons\n');
  git('add', '--all');
  git('commit', '--quiet', '-m', 'two addons');
  git('push', '--quiet', repository, 'main');
});

afterAll(async () => {
  // Every image this file built is tagged cloudwady/<appId>:...
  if (docker !== undefined) {
    const images = await docker.listImages({ filters: { reference: [`cloudwady/${appId}`] } });
    for (const image of images)
      await docker
        .getImage(image.Id)
        .remove({ force: true })
        .catch(() => {});
  }
  await pool?.closeAll();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  await stack?.stop();
});

async function runInImage(image: string, cmd: string[]): Promise<string> {
  const container = await docker.createContainer({
    Image: image,
    Cmd: cmd,
    HostConfig: { NetworkMode: 'host' },
  });
  try {
    await container.start();
    const { StatusCode } = await container.wait();
    const logs = await container.logs({ stdout: true, stderr: true, follow: false });
    expect(StatusCode).toBe(0);
    return demuxStdout(logs);
  } finally {
    await container.remove({ force: true });
  }
}

/** stdout of a non-TTY container's multiplexed log stream. */
function demuxStdout(buffer: Buffer): string {
  let out = '';
  for (let at = 0; at + 8 <= buffer.length; ) {
    const size = buffer.readUInt32BE(at + 4);
    if (buffer[at] === 1) out += buffer.subarray(at + 8, at + 8 + size).toString('utf8');
    at += 8 + size;
  }
  return out;
}

describe('source and image of an app', () => {
  const appDir = () => join(dir, 'app');
  let first: { commitSha: string };
  let firstImage: { image: string; fingerprint: string };

  it('mirrors the repository on the server and returns the branch commit (twice, same result)', async () => {
    first = await syncSource(server, { appDir: appDir(), repository, branch: 'main', pool });
    expect(first.commitSha).toBe(git('rev-parse', 'HEAD'));
    expect(existsSync(join(appDir(), 'source.git', 'HEAD'))).toBe(true);
    expect(await syncSource(server, { appDir: appDir(), repository, branch: 'main', pool })).toEqual(first);

    expect(await listModules(server, { appDir: appDir(), commitSha: first.commitSha, pool })).toEqual([
      'cw_extra',
      'cw_hello',
    ]);
    expect(
      await hasFile(server, { appDir: appDir(), commitSha: first.commitSha, path: 'README.md', pool }),
    ).toBe(true);
    expect(
      await hasFile(server, { appDir: appDir(), commitSha: first.commitSha, path: 'requirements.txt', pool }),
    ).toBe(false);
    expect(
      await hasFile(server, { appDir: appDir(), commitSha: first.commitSha, path: 'cw_hello', pool }),
    ).toBe(false);
  });

  it('builds the image through the Docker API once, then reuses it', async () => {
    const lines: string[] = [];
    let beats = 0;
    const options = {
      appId,
      appDir: appDir(),
      commitSha: first.commitSha,
      baseImage,
      systemPackages: [],
      buildConfig: { odooVersion: '17.0' },
      pool,
    };
    const built = await ensureImage(server, {
      ...options,
      onOutput: (line) => lines.push(line),
      heartbeat: () => beats++,
    });
    expect(built.built).toBe(true);
    expect(built.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(built.image).toBe(`cloudwady/${appId}:${built.fingerprint.slice(0, 16)}`);
    expect(lines.some((line) => /^Step 1\/\d+ : FROM /.test(line))).toBe(true);
    expect(lines.some((line) => line.includes('COPY addons/ /mnt/extra-addons/'))).toBe(true);
    expect(beats).toBeGreaterThanOrEqual(lines.length);

    const info = await docker.getImage(built.image).inspect();
    expect(info.Config.Labels).toMatchObject({
      'org.cloudwady.app': appId,
      'org.cloudwady.fingerprint': built.fingerprint,
      'org.cloudwady.commit': first.commitSha,
      'org.cloudwady.template': '1',
    });
    // The build context on the server is gone.
    expect(existsSync(join(appDir(), 'build', built.fingerprint))).toBe(false);

    const again: string[] = [];
    const reused = await ensureImage(server, { ...options, onOutput: (line) => again.push(line) });
    expect(reused).toEqual({ image: built.image, fingerprint: built.fingerprint, built: false });
    expect(again).toEqual([]);
    // Force pull template: a base image built locally (no registry digest) is not pulled again,
    // and an unchanged base keeps the fingerprint.
    expect(await ensureImage(server, { ...options, forcePullTemplate: true })).toEqual(reused);
    // Any build setting is part of the fingerprint.
    const other = await ensureImage(server, { ...options, buildConfig: { odooVersion: '17.0', extra: 1 } });
    expect(other.built).toBe(true);
    expect(other.fingerprint).not.toBe(built.fingerprint);
    firstImage = built;
  });

  it('puts the commit tree in /mnt/extra-addons', async () => {
    const listing = await runInImage(firstImage.image, [
      'ls',
      '/mnt/extra-addons',
      '/mnt/extra-addons/cw_hello',
    ]);
    expect(listing).toContain('__manifest__.py');
    expect(listing).toContain('cw_extra');
    expect(listing).toContain('README.md');
    expect(listing).not.toContain('.git');
  });

  it('a new commit touching cw_extra (and adding requirements.txt) changes only cw_extra and the fingerprint', async () => {
    addon('cw_extra', '17.0.1.0.1');
    // Comments only: pip has nothing to download, but still checks PEP 668 (bookworm's pip 23).
    writeFileSync(join(work, 'requirements.txt'), '# no extra Python packages\n');
    git('add', '--all');
    git('commit', '--quiet', '-m', 'bump cw_extra');
    git('push', '--quiet', repository, 'main');

    const second = await syncSource(server, { appDir: appDir(), repository, branch: 'main', pool });
    expect(second.commitSha).toBe(git('rev-parse', 'HEAD'));
    expect(second.commitSha).not.toBe(first.commitSha);
    expect(
      await changedModules(server, { appDir: appDir(), from: first.commitSha, to: second.commitSha, pool }),
    ).toEqual(['cw_extra']);
    expect(
      await changedModules(server, { appDir: appDir(), from: second.commitSha, to: second.commitSha, pool }),
    ).toEqual([]);
    // A commit the mirror never saw: update everything rather than miss a change.
    expect(
      await changedModules(server, { appDir: appDir(), from: 'f'.repeat(40), to: second.commitSha, pool }),
    ).toEqual(['cw_extra', 'cw_hello']);

    const lines: string[] = [];
    const built = await ensureImage(server, {
      appId,
      appDir: appDir(),
      commitSha: second.commitSha,
      baseImage,
      systemPackages: [],
      buildConfig: { odooVersion: '17.0' },
      onOutput: (line) => lines.push(line),
      pool,
    });
    expect(built.built).toBe(true);
    expect(built.fingerprint).not.toBe(firstImage.fingerprint);
    expect(lines.some((line) => line.includes('PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install'))).toBe(
      true,
    );
    const manifest = await runInImage(built.image, ['cat', '/mnt/extra-addons/cw_extra/__manifest__.py']);
    expect(manifest).toContain('17.0.1.0.1');
  });
});

describe('bad sources fail with a SourceError and run nothing', () => {
  it('rejects option-like branches and leaves hostile-but-valid names inert', async () => {
    const appDir = join(dir, 'hostile');
    const marker = `/tmp/pwned-${rand()}`;
    const attempts = [
      { branch: `--upload-pack=touch ${marker}`, code: 'INVALID_SOURCE' }, // option-like, has a space
      { branch: `main;touch ${marker}`, code: 'INVALID_SOURCE' }, // has a space: not a branch name
      { branch: `main$(touch\t${marker})`, code: 'INVALID_SOURCE' }, // control character
      // Valid to git, and a shell would run them: they must stay one inert argv element.
      { branch: `main;touch\${IFS}${marker}`, code: 'BRANCH_NOT_FOUND' },
      { branch: `$(touch\${IFS}${marker})`, code: 'BRANCH_NOT_FOUND' },
      { branch: `main\`touch\${IFS}${marker}\``, code: 'BRANCH_NOT_FOUND' },
    ];
    for (const { branch, code } of attempts) {
      const error = await syncSource(server, { appDir, repository, branch, pool }).catch((e: unknown) => e);
      expect(error, branch).toBeInstanceOf(SourceError);
      expect((error as SourceError).code, branch).toBe(code);
      expect((error as SourceError).userError).toBe(true);
    }
    for (const url of [
      `--upload-pack=touch ${marker}`,
      `ext::sh -c touch% ${marker}`,
      `file:///x;touch ${marker}`,
    ]) {
      const error = await syncSource(server, { appDir, repository: url, branch: 'main', pool }).catch(
        (e: unknown) => e,
      );
      expect(error, url).toBeInstanceOf(SourceError);
    }
    expect(existsSync(marker)).toBe(false);
  });

  it('says which branch is missing and which repository cannot be reached', async () => {
    const missing = await syncSource(server, {
      appDir: join(dir, 'app'),
      repository,
      branch: 'release/9',
      pool,
    }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(SourceError);
    expect((missing as SourceError).code).toBe('BRANCH_NOT_FOUND');
    expect((missing as Error).message).toMatch(/branch "release\/9" does not exist/);

    const unreachable = await syncSource(server, {
      appDir: join(dir, 'nowhere'),
      repository: `file://${join(dir, 'no-such-repo.git')}`,
      branch: 'main',
      pool,
    }).catch((e: unknown) => e);
    expect(unreachable).toBeInstanceOf(SourceError);
    expect((unreachable as SourceError).code).toBe('REPOSITORY_UNAVAILABLE');
    expect((unreachable as Error).message).toMatch(/cannot clone .*no-such-repo\.git/);
    // No half-made mirror is left behind.
    expect(existsSync(join(dir, 'nowhere', 'source.git'))).toBe(false);
  });
});

describe('failed and cancelled builds', () => {
  it("a package apt cannot find gives an ImageBuildError with apt's message", async () => {
    const commitSha = git('rev-parse', 'HEAD');
    const error = await ensureImage(server, {
      appId,
      appDir: join(dir, 'app'),
      commitSha,
      baseImage,
      systemPackages: ['definitely-not-a-package-xyz'],
      buildConfig: {},
      pool,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageBuildError);
    const failure = error as ImageBuildError;
    expect(failure.userError).toBe(true);
    expect(failure.lines.length).toBeLessThanOrEqual(50);
    expect(failure.lines.join('\n')).toContain('Unable to locate package definitely-not-a-package-xyz');
    expect(failure.message).toContain('Unable to locate package definitely-not-a-package-xyz');
    expect(failure.reason).toMatch(/non-zero code: 100/);
  });

  it('a base image that is not on the server and cannot be pulled gives an ImageBuildError', async () => {
    // "localhost/..." names a registry on loopback (nothing listens there): the pull stays local.
    const error = await ensureImage(server, {
      appId,
      appDir: join(dir, 'app'),
      commitSha: git('rev-parse', 'HEAD'),
      baseImage: `localhost/cw-missing-base-${rand()}:17.0`,
      systemPackages: [],
      buildConfig: {},
      pool,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageBuildError);
    expect((error as Error).message).toMatch(/cannot pull base image localhost\/cw-missing-base-/);
  });

  it('rejects bad input before touching the server', async () => {
    const options = {
      appId,
      appDir: join(dir, 'app'),
      commitSha: git('rev-parse', 'HEAD'),
      baseImage,
      systemPackages: [],
      buildConfig: {},
      pool,
    };
    const before = pool.stats(server).sessionsOpened;
    for (const bad of [
      { systemPackages: ['git; rm -rf /'] },
      { baseImage: 'odoo:17.0\nRUN id' },
      { appId: '../etc' },
      { commitSha: 'HEAD' },
      { buildConfig: { when: () => 1 } },
    ]) {
      await expect(ensureImage(server, { ...options, ...bad })).rejects.toThrow();
    }
    expect(pool.stats(server).sessionsOpened).toBe(before);
  });

  it('a cancelled build leaves no tag; the rerun builds exactly one image', async () => {
    const commitSha = git('rev-parse', 'HEAD');
    const options = {
      appId,
      appDir: join(dir, 'app'),
      commitSha,
      baseImage,
      systemPackages: ['hello'],
      buildConfig: { cancelled: 'then rerun' },
      pool,
    };
    const controller = new AbortController();
    const cancelled = await ensureImage(server, {
      ...options,
      signal: controller.signal,
      onOutput: (line) => {
        if (line.includes('RUN apt-get update')) controller.abort(new Error('operation cancelled'));
      },
    }).catch((e: unknown) => e);
    expect((cancelled as Error).message).toBe('operation cancelled');

    const before = await docker.listImages({ filters: { reference: [`cloudwady/${appId}`] } });
    const rerun = await ensureImage(server, options);
    expect(rerun.built).toBe(true);
    expect(existsSync(join(dir, 'app', 'build', rerun.fingerprint))).toBe(false);
    const after = await docker.listImages({ filters: { reference: [`cloudwady/${appId}`] } });
    expect(before.some((image) => (image.RepoTags ?? []).includes(rerun.image))).toBe(false);
    expect(after.filter((image) => (image.RepoTags ?? []).includes(rerun.image))).toHaveLength(1);
    expect(await runInImage(rerun.image, ['hello'])).toBe('Hello, world!\n');
  });
});
