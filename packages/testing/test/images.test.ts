import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAptMirror } from '../src/images/apt-mirror.js';
import { debootstrapArgv, importArgv, mountsUnder } from '../src/images/base-image.js';
import { contentHash } from '../src/images/content-hash.js';
import { withLock } from '../src/images/lock.js';
import {
  readStandinFixture,
  standinBuildArgv,
  standinFixtureDir,
  standinHash,
} from '../src/images/odoo-standin.js';
import { pipeTools, runTool, ToolError, toolErrorMessage } from '../src/images/tool.js';

// Unit tests of the image builders and, with the host's python3, of the stand-in script's
// HTTP side. Building the images and installing modules into PostgreSQL is stack territory.

describe('parseAptMirror', () => {
  const deb822 = [
    'Types: deb',
    'URIs: http://security.example/debian-security',
    'Suites: bookworm-security',
    'Components: main',
    '',
    'Types: deb-src',
    'URIs: http://src.example/debian',
    'Suites: bookworm',
    '',
    'Types: deb',
    '# a comment',
    'URIs: http://mirror.example/debian',
    'Suites: bookworm bookworm-updates',
    'Components: main',
  ].join('\n');

  it('picks the deb stanza serving the suite itself, not -security or deb-src', () => {
    expect(parseAptMirror({ deb822 })).toBe('http://mirror.example/debian');
  });

  it('reads a one-line sources.list, options included', () => {
    const list = [
      '# deb http://old.example/debian bookworm main',
      'deb http://security.example/debian-security bookworm-security main',
      'deb [arch=amd64 signed-by=/k.gpg] http://line.example/debian bookworm main',
    ].join('\n');
    expect(parseAptMirror({ list })).toBe('http://line.example/debian');
  });

  it('prefers debian.sources and returns undefined when nothing matches', () => {
    expect(parseAptMirror({ deb822, list: 'deb http://line.example/debian bookworm main' })).toBe(
      'http://mirror.example/debian',
    );
    expect(parseAptMirror({ list: 'deb http://x.example/debian bullseye main' })).toBeUndefined();
    expect(parseAptMirror({})).toBeUndefined();
  });
});

describe('contentHash and the stand-in build', () => {
  it('changes with any input, including where one part ends', () => {
    const a = contentHash(['ab', 'c']);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(contentHash(['ab', 'c'])).toBe(a);
    expect(contentHash(['a', 'bc'])).not.toBe(a);
  });

  it('hashes the Dockerfile, the script, the base image id and the version', async () => {
    const fixture = await readStandinFixture();
    const hash = standinHash(fixture, 'sha256:base1', '17.0');
    expect(standinHash(fixture, 'sha256:base1', '18.0')).not.toBe(hash);
    expect(standinHash(fixture, 'sha256:base2', '17.0')).not.toBe(hash);
    const edited = { ...fixture, script: Buffer.concat([fixture.script, Buffer.from('\n')]) };
    expect(standinHash(edited, 'sha256:base1', '17.0')).not.toBe(hash);
  });

  it('builds on the host network with the version, the hash label and the tag', () => {
    expect(standinBuildArgv('/fx', '18.0', 'h1')).toEqual([
      'docker',
      'build',
      '--network',
      'host',
      '--build-arg',
      'ODOO_VERSION=18.0',
      '--label',
      'org.cloudwady.content-hash=h1',
      '--tag',
      'cloudwady/odoo-standin:18.0',
      '/fx',
    ]);
  });

  it('ships the fixture: a Dockerfile FROM the base image and an executable python3 script', async () => {
    const fixture = await readStandinFixture(standinFixtureDir());
    expect(fixture.dockerfile.toString()).toMatch(/^FROM cloudwady\/base:bookworm$/m);
    expect(fixture.dockerfile.toString()).toContain('LABEL org.cloudwady.fixture=odoo-standin');
    expect(fixture.script.toString().split('\n')[0]).toBe('#!/usr/bin/python3');
    expect(fixture.script.toString()).toContain('TEST FIXTURE');
    expect(() => accessSync(join(fixture.dir, 'odoo'), constants.X_OK)).not.toThrow();
  });
});

describe('base image argv', () => {
  it('debootstraps minbase bookworm and imports with a bash CMD', () => {
    expect(debootstrapArgv('/s/rootfs', 'http://m/debian')).toEqual([
      'debootstrap',
      '--variant=minbase',
      'bookworm',
      '/s/rootfs',
      'http://m/debian',
    ]);
    const { tar, docker } = importArgv('/s/rootfs', 'cloudwady/base:bookworm');
    expect(tar).toEqual(['tar', '--numeric-owner', '-C', '/s/rootfs', '-c', '.']);
    expect(docker.slice(0, 4)).toEqual(['docker', 'import', '--change', 'CMD ["/bin/bash"]']);
    expect(docker.slice(-2)).toEqual(['-', 'cloudwady/base:bookworm']);
  });

  it('finds mounts left inside a rootfs, deepest first, and nothing beside it', () => {
    const mounts = [
      'proc /proc proc rw 0 0',
      'proc /st\\040dir/rootfs/proc proc rw 0 0',
      'sysfs /st\\040dir/rootfs/proc/sys/fs/binfmt_misc binfmt_misc rw 0 0',
      'sysfs /st\\040dir/rootfs2/sys sysfs rw 0 0',
    ].join('\n');
    expect(mountsUnder(mounts, '/st dir/rootfs')).toEqual([
      '/st dir/rootfs/proc/sys/fs/binfmt_misc',
      '/st dir/rootfs/proc',
    ]);
  });
});

describe('tool errors', () => {
  it('names the missing tool and the fix', () => {
    expect(toolErrorMessage(['debootstrap', '--variant=minbase'], { code: 'ENOENT' })).toBe(
      'debootstrap not found: run scripts/setup (apt-get install debootstrap)',
    );
    expect(toolErrorMessage(['docker', 'build'], { code: 'ENOENT' })).toContain('apt-get install docker.io');
    const daemon = toolErrorMessage(['docker', 'import'], {
      exitCode: 1,
      stderr:
        'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?',
    });
    expect(daemon).toMatch(/^docker import failed \(exit 1\): dockerd is not reachable/);
    expect(daemon).toContain('Is the docker daemon running?');
  });

  it('rejects with the real exit status and the stderr tail', async () => {
    const argv = [process.execPath, '-e', "process.stderr.write('x'.repeat(5000) + 'boom'); process.exit(3)"];
    const error = await runTool(argv).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolError);
    expect((error as Error).message).toContain('failed (exit 3)');
    expect((error as Error).message).toMatch(/boom$/);
    expect((error as Error).message.length).toBeLessThan(2300);
    await expect(runTool(['cloudwady-no-such-tool'])).rejects.toThrow('cloudwady-no-such-tool not found');
  });

  it('pipes binary output from one tool into another unchanged', async () => {
    const produce = [process.execPath, '-e', 'process.stdout.write(Buffer.from([...Array(256).keys()]))'];
    const consume = [
      process.execPath,
      '-e',
      "const c=[];process.stdin.on('data',d=>c.push(d)).on('end',()=>{const b=Buffer.concat(c);" +
        'console.log(b.length, b.reduce((s,x)=>s+x,0))})',
    ];
    expect((await pipeTools(produce, consume)).stdout.trim()).toBe(`256 ${(255 * 256) / 2}`);
    const failing = [process.execPath, '-e', "process.stderr.write('no rootfs'); process.exit(2)"];
    await expect(pipeTools(failing, consume)).rejects.toThrow(/exit 2[\s\S]*no rootfs/);
  });
});

describe('withLock', () => {
  it('runs holders one at a time and takes over a lock left by a dead process', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cw-lock-'));
    const path = join(dir, 'build.lock');
    const events: string[] = [];
    const hold = (name: string) =>
      withLock(path, async () => {
        events.push(`${name}+`);
        await new Promise((r) => setTimeout(r, 50));
        events.push(`${name}-`);
      });
    await Promise.all([hold('a'), hold('b')]);
    expect(events).toEqual(['a+', 'a-', 'b+', 'b-']);

    await writeFile(path, '999999999'); // no such pid
    expect(await withLock(path, async () => readFile(path, 'utf8'))).toBe(String(process.pid));
    await expect(readFile(path)).rejects.toThrow();
    await rm(dir, { recursive: true, force: true });
  });
});

describe('the stand-in script (host python3, HTTP side)', () => {
  const script = join(standinFixtureDir(), 'odoo');
  let dir: string;
  let server: ChildProcess;
  let base: string;
  let stderr = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cw-standin-'));
    await mkdir(join(dir, 'addons', 'shop'), { recursive: true });
    await writeFile(join(dir, 'addons', 'shop', '__manifest__.py'), "{'name': 'Shop'}");
    const conf = [
      '[options]',
      'http_port = 0',
      'http_interface = 127.0.0.1',
      `addons_path = ${join(dir, 'addons')}`,
      'list_db = False',
      'db_name = shop_db',
    ].join('\n');
    await writeFile(join(dir, 'odoo.conf'), conf);
    server = spawn('python3', [script, '-c', join(dir, 'odoo.conf'), '--log-level=debug'], {
      env: { ...process.env, ODOO_VERSION: '18.0', CLOUDWADY_RELEASE: 'rel-7' },
    });
    base = await new Promise<string>((resolve, reject) => {
      server.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
        const port = /HTTP service running on 127\.0\.0\.1:(\d+)/.exec(stderr)?.[1];
        if (port) resolve(`http://127.0.0.1:${port}`);
      });
      server.on('exit', (code) => reject(new Error(`stand-in exited ${code}: ${stderr}`)));
    });
  });

  afterAll(async () => {
    if (server.exitCode === null) server.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('prints its version from ODOO_VERSION', async () => {
    const { stdout } = await runTool(['python3', script, '--version'], {
      env: { ...process.env, ODOO_VERSION: '18.0' },
    });
    expect(stdout.trim()).toBe('Odoo Server 18.0');
  });

  it('warns about options it does not know and keeps going', () => {
    expect(stderr).toContain('ignoring unsupported option --log-level=debug');
  });

  it('answers /web/health, turning 500 while an addon holds STANDIN_UNHEALTHY', async () => {
    const ok = await fetch(`${base}/web/health`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ status: 'pass' });
    expect(ok.headers.get('x-odoo-stand-in')).toBe('18.0');
    await writeFile(join(dir, 'addons', 'shop', 'STANDIN_UNHEALTHY'), '');
    const sick = await fetch(`${base}/web/health`);
    expect(sick.status).toBe(500);
    expect(await sick.json()).toEqual({ status: 'fail' });
    await rm(join(dir, 'addons', 'shop', 'STANDIN_UNHEALTHY'));
    expect((await fetch(`${base}/web/health`)).status).toBe(200);
  });

  it('answers version_info as JSON-RPC, echoing the id', async () => {
    const response = await fetch(`${base}/web/webclient/version_info`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params: {}, id: 42 }),
    });
    expect(await response.json()).toEqual({
      jsonrpc: '2.0',
      id: 42,
      result: {
        server_version: '18.0',
        server_version_info: [18, 0, 0, 'final', 0, ''],
        server_serie: '18.0',
        protocol_version: 1,
      },
    });
  });

  it('hides the database list when list_db is false and names db and release on /', async () => {
    expect((await fetch(`${base}/web/database/list`)).status).toBe(403);
    const home = await fetch(`${base}/`);
    expect(home.status).toBe(200);
    expect(home.headers.get('x-cloudwady-release')).toBe('rel-7');
    const page = await home.text();
    expect(page).toContain('database: shop_db');
    expect(page).toContain('release: rel-7');
  });

  it('exits 0 on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
