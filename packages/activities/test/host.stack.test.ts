// The host execution layer against the real local stack: OpenSSH sshd on loopback, the Docker
// Engine behind it (reached only through the SSH connection) and the stack's base image.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { type SshHost, type Stack, startStack } from '@cloudwady/testing';
import type { ContainerCreateOptions } from 'dockerode';
import { utils as sshUtils } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  containerRequests,
  dockerFor,
  downloadFile,
  exists,
  HostCommandError,
  HostConnectionError,
  HostFileError,
  HostKeyMismatchError,
  mkdirp,
  readFile,
  removeFile,
  run,
  runChecked,
  SshConnectionPool,
  SshDockerAgent,
  uploadFile,
  writeFile,
} from '../src/index.js';

let stack: Stack;
let host: SshHost;
let pool: SshConnectionPool;
const rand = () => randomBytes(6).toString('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  stack = await startStack({ services: ['ssh', 'docker', 'images'] });
  const first = stack.hosts[0];
  if (first === undefined) throw new Error('the stack started without an SSH host');
  if (!stack.images.base) throw new Error('the stack has no base image');
  host = first;
  pool = new SshConnectionPool();
});

afterAll(async () => {
  await pool?.closeAll();
  await stack?.stop();
});

describe('commands over SSH', () => {
  it('runs uname -a on the host and reports exit codes', async () => {
    const result = await runChecked(host, ['uname', '-a'], { pool });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^Linux \S+ /);
    expect(result.stdout.trim()).toBe(execFileSync('uname', ['-a'], { encoding: 'utf8' }).trim());

    const failed = await run(host, ['sh', '-c', 'echo partial; echo boom >&2; exit 3'], { pool });
    expect(failed).toEqual({ exitCode: 3, stdout: 'partial\n', stderr: 'boom\n' });

    const error = await runChecked(host, ['sh', '-c', 'echo boom >&2; exit 3'], { pool }).catch((e) => e);
    expect(error).toBeInstanceOf(HostCommandError);
    expect(error.exitCode).toBe(3);
    expect(error.reason).toBe('exit');
    expect(error.stderrTail).toBe('boom\n');
    expect(error.argv).toEqual(['sh', '-c', 'echo boom >&2; exit 3']);
    expect(error.message).toContain('exited with code 3');
  });

  it('passes hostile argv elements intact and never to a shell', async () => {
    const marker = `/tmp/pwned-${rand()}`;
    const hostile = [
      `$(touch ${marker})`,
      `; touch ${marker}`,
      `\`touch ${marker}\``,
      `x\ntouch ${marker}\n`,
      `'; touch ${marker}; '`,
      `"; touch ${marker}; "`,
      `| touch ${marker}`,
      `&& touch ${marker}`,
      `$(touch\${IFS}${marker})`,
      "it's",
      '',
    ];
    const { stdout } = await runChecked(host, ['printf', '%s\\n', ...hostile], { pool });
    expect(stdout).toBe(`${hostile.join('\n')}\n`);
    expect((await run(host, ['test', '-e', marker], { pool })).exitCode).toBe(1);
    expect(existsSync(marker)).toBe(false);

    // Control: the same marker check does see a file that a shell creates.
    await runChecked(host, ['sh', '-c', `touch ${marker}`], { pool });
    expect((await run(host, ['test', '-e', marker], { pool })).exitCode).toBe(0);
    await runChecked(host, ['rm', '-f', '--', marker], { pool });
  });

  it('feeds stdin and streams output lines as they come', async () => {
    const echoed = await runChecked(host, ['cat'], { pool, stdin: 'line one\nline two' });
    expect(echoed.stdout).toBe('line one\nline two');
    const streamed = await runChecked(host, ['cat'], { pool, stdin: Readable.from(['a', 'b\n', 'c']) });
    expect(streamed.stdout).toBe('ab\nc');

    const lines: [string, string][] = [];
    await runChecked(host, ['sh', '-c', 'echo one; sleep 0.2; echo two >&2; printf "thr"; printf "ee"'], {
      pool,
      onOutput: (line, stream) => lines.push([stream, line]),
    });
    expect(lines).toEqual([
      ['stdout', 'one'],
      ['stderr', 'two'],
      ['stdout', 'three'],
    ]);
  });

  it('stops the remote process on timeout and on abort', async () => {
    const timeoutMarker = `/tmp/cw-timeout-${rand()}`;
    const abortMarker = `/tmp/cw-abort-${rand()}`;
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('operation cancelled')), 300);
    const started = Date.now();
    const [timedOut, aborted] = await Promise.all([
      run(host, ['sh', '-c', `sleep 4; touch ${timeoutMarker}`], { pool, timeoutMs: 300 }).catch((e) => e),
      run(host, ['sh', '-c', `sleep 4; touch ${abortMarker}`], { pool, signal: controller.signal }).catch(
        (e) => e,
      ),
    ]);
    expect(Date.now() - started).toBeLessThan(3000); // not the 4 s the commands would take
    expect(timedOut).toBeInstanceOf(HostCommandError);
    expect(timedOut.reason).toBe('timeout');
    expect(aborted).toBeInstanceOf(HostCommandError);
    expect(aborted.reason).toBe('aborted');
    expect((aborted.cause as Error).message).toBe('operation cancelled');
    await sleep(started + 4500 - Date.now()); // past the time the touch would have run
    expect(existsSync(timeoutMarker)).toBe(false);
    expect(existsSync(abortMarker)).toBe(false);

    const already = new AbortController();
    already.abort();
    await expect(run(host, ['true'], { pool, signal: already.signal })).rejects.toThrow();
  });

  it('reuses one connection for 10 sequential commands and reconnects after it drops', async () => {
    const own = new SshConnectionPool();
    try {
      for (let i = 0; i < 10; i++) {
        expect((await runChecked(host, ['echo', String(i)], { pool: own })).stdout).toBe(`${i}\n`);
      }
      expect(own.stats(host)).toMatchObject({ connects: 1, connected: true, sessionsOpened: 10 });

      // Kill the connection under the pool: the next command reconnects.
      const client = await own.acquire(host);
      const closed = new Promise<void>((r) => client.once('close', () => r()));
      client.destroy();
      await closed;
      expect(own.stats(host).connected).toBe(false);
      await runChecked(host, ['true'], { pool: own });
      expect(own.stats(host).connects).toBe(2);
    } finally {
      await own.closeAll();
    }
    expect(own.stats(host).connected).toBe(false);
  });

  it('runs more concurrent commands than sshd allows sessions, on one connection', async () => {
    const own = new SshConnectionPool();
    try {
      const results = await Promise.all(
        Array.from({ length: 24 }, (_, i) =>
          runChecked(host, ['sh', '-c', `sleep 0.1; echo ${i}`], { pool: own }),
        ),
      );
      expect(results.map((r) => r.stdout)).toEqual(Array.from({ length: 24 }, (_, i) => `${i}\n`));
      expect(own.stats(host).connects).toBe(1);
    } finally {
      await own.closeAll();
    }
  });

  it('reports an unreachable server or a refused key as HostConnectionError, and tries again later', async () => {
    const own = new SshConnectionPool({ readyTimeoutMs: 5000 });
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    const closedPort = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    try {
      const unreachable = { ...host, port: closedPort };
      const first = await run(unreachable, ['true'], { pool: own }).catch((e) => e);
      expect(first).toBeInstanceOf(HostConnectionError);
      expect(first.message).toContain(`127.0.0.1:${closedPort}`);
      await expect(run(unreachable, ['true'], { pool: own })).rejects.toBeInstanceOf(HostConnectionError);
      expect(own.stats(unreachable).connects).toBe(2);

      const stranger = sshUtils.generateKeyPairSync('ed25519').private;
      const refused = await run({ ...host, privateKey: stranger }, ['true'], { pool: own }).catch((e) => e);
      expect(refused).toBeInstanceOf(HostConnectionError);
      expect(refused.message).not.toContain('PRIVATE KEY');
    } finally {
      await own.closeAll();
    }
  });

  it('pins the host key: the right key connects, another is refused', async () => {
    const own = new SshConnectionPool();
    try {
      expect(host.hostPublicKey).toMatch(/^ssh-/);
      await runChecked({ ...host, hostPublicKey: host.hostPublicKey }, ['true'], { pool: own });
      await own.closeAll();
      const other = sshUtils.generateKeyPairSync('ed25519').public;
      const refused = await run({ ...host, hostPublicKey: other }, ['true'], { pool: own }).catch((e) => e);
      expect(refused).toBeInstanceOf(HostKeyMismatchError);
      expect(refused.message).toContain('does not match the pinned key');
    } finally {
      await own.closeAll();
    }
  });
});

/**
 * The builder's body with restart policy "no": these test containers exit on purpose, and
 * unless-stopped (right for apps) would restart them, repeating their output.
 */
function oneShot(body: ContainerCreateOptions): ContainerCreateOptions {
  return { ...body, HostConfig: { ...body.HostConfig, RestartPolicy: { Name: 'no' } } };
}

/** Split Docker's multiplexed log stream (8-byte frame headers) into stdout and stderr. */
function demux(buffer: Buffer): { stdout: string; stderr: string } {
  const out = { stdout: '', stderr: '' };
  for (let at = 0; at + 8 <= buffer.length; ) {
    const size = buffer.readUInt32BE(at + 4);
    const text = buffer.subarray(at + 8, at + 8 + size).toString('utf8');
    if (buffer[at] === 2) out.stderr += text;
    else out.stdout += text;
    at += 8 + size;
  }
  return out;
}

describe('Docker Engine API through the SSH connection', () => {
  it('has no socket or host of its own: requests are streams forwarded on the pooled connection', async () => {
    const docker = dockerFor(host, { pool });
    expect(dockerFor(host, { pool })).toBe(docker);
    const modem = docker.modem as unknown as Record<string, unknown>;
    expect(modem.socketPath).toBeUndefined();
    expect(modem.host).toBeUndefined();
    expect(modem.agent).toBeInstanceOf(SshDockerAgent);

    const before = pool.stats(host);
    const version = await docker.version();
    expect(version.ApiVersion).toMatch(/^1\.\d+$/);
    const containers = await docker.listContainers({ all: true });
    expect(Array.isArray(containers)).toBe(true);
    const after = pool.stats(host);
    expect(after.forwardedStreams - before.forwardedStreams).toBe(2);
    expect(after.connects).toBe(1);
  });

  it('runs the base image on the host network, reads "hello" from its logs, removes it', async () => {
    const docker = dockerFor(host, { pool });
    const release = rand();
    const body = containerRequests.createContainerRequest({
      appId: 'hosttest',
      release,
      image: stack.images.base,
      command: ['echo', 'hello'],
    });
    expect(body.HostConfig?.RestartPolicy?.Name).toBe('unless-stopped');
    const streamsBefore = pool.stats(host).forwardedStreams;
    const container = await docker.createContainer(oneShot(body));
    try {
      await container.start();
      const exit = await container.wait();
      expect(exit.StatusCode).toBe(0);
      const logs = (await container.logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer;
      expect(demux(logs)).toEqual({ stdout: 'hello\n', stderr: '' });

      const info = await container.inspect();
      expect(info.Name).toBe(`/cw-hosttest-${release}`);
      expect(info.HostConfig.NetworkMode).toBe('host');
      expect(info.Config.Labels).toMatchObject({
        'org.cloudwady.app': 'hosttest',
        'org.cloudwady.release': release,
      });
      const listed = await docker.listContainers(containerRequests.listAppContainersRequest('hosttest'));
      expect(listed.map((c) => c.Id)).toContain(info.Id);
    } finally {
      await container.remove({ force: true });
    }
    const gone = await container.inspect().catch((e) => e);
    expect(gone.statusCode).toBe(404);
    expect(pool.stats(host).forwardedStreams - streamsBefore).toBeGreaterThanOrEqual(7);
    expect(pool.stats(host).connects).toBe(1);
    // Each request's stream is closed with its response: nothing piles up on the connection.
    for (let i = 0; i < 20 && pool.stats(host).openForwardedStreams > 0; i++) await sleep(50);
    expect(pool.stats(host).openForwardedStreams).toBe(0);
  });

  it('streams: an image build with a tar body and build output, and a following log stream', async () => {
    const docker = dockerFor(host, { pool });
    const dir = mkdtempSync(join(tmpdir(), 'cw-build-'));
    const fingerprint = randomBytes(16).toString('hex');
    const options = containerRequests.imageBuildOptions({ appId: 'hosttest', fingerprint });
    try {
      writeFileSync(join(dir, 'Dockerfile'), `FROM ${stack.images.base}\nRUN echo built-over-ssh > /built\n`);
      const context = execFileSync('tar', ['-c', '-C', dir, 'Dockerfile']);
      const stream = await docker.buildImage(Readable.from([context]), options);
      const events: { stream?: string; error?: string }[] = await new Promise((resolve, reject) =>
        docker.modem.followProgress(stream, (err: Error | null, out: unknown[]) =>
          err ? reject(err) : resolve(out as never),
        ),
      );
      expect(events.filter((e) => e.error)).toEqual([]);
      expect(events.map((e) => e.stream ?? '').join('')).toContain('built-over-ssh');
      const image = await docker.getImage(options.t as string).inspect();
      expect(image.Config.Labels).toMatchObject({ 'org.cloudwady.fingerprint': fingerprint });

      // A log stream that follows a running container, read line by line as it is written.
      const container = await docker.createContainer(
        oneShot(
          containerRequests.createContainerRequest({
            appId: 'hosttest',
            release: rand(),
            image: options.t as string,
            command: ['sh', '-c', 'cat /built; for i in 1 2 3; do echo tick $i; sleep 0.2; done'],
          }),
        ),
      );
      try {
        await container.start();
        const logStream = await container.logs({ stdout: true, stderr: true, follow: true });
        const chunks: Buffer[] = [];
        await new Promise<void>((resolve, reject) => {
          logStream.on('data', (c: Buffer) => chunks.push(c));
          logStream.on('end', resolve);
          logStream.on('error', reject);
        });
        expect(demux(Buffer.concat(chunks)).stdout).toBe('built-over-ssh\ntick 1\ntick 2\ntick 3\n');
      } finally {
        await container.remove({ force: true });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await docker
        .getImage(options.t as string)
        .remove({ force: true })
        .catch(() => {});
    }
  });

  it('hijacked attach: writes stdin to a container and reads its output', async () => {
    const docker = dockerFor(host, { pool });
    const body = containerRequests.createContainerRequest({
      appId: 'hosttest',
      release: rand(),
      image: stack.images.base,
      command: ['cat'],
    });
    const container = await docker.createContainer({
      ...oneShot(body),
      OpenStdin: true,
      StdinOnce: true,
      AttachStdin: true,
    });
    try {
      const duplex = await container.attach({
        stream: true,
        stdin: true,
        stdout: true,
        stderr: true,
        hijack: true,
      });
      const chunks: Buffer[] = [];
      duplex.on('data', (c: Buffer) => chunks.push(c));
      const ended = new Promise((r) => duplex.on('end', r));
      await container.start();
      duplex.write('ping over ssh\n');
      duplex.end();
      // Bounded, so a hang fails here and the container is still removed below.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        ended,
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('the attach stream did not end')), 10_000);
        }),
      ]).finally(() => clearTimeout(timer));
      expect(demux(Buffer.concat(chunks)).stdout).toBe('ping over ssh\n');
      expect((await container.wait()).StatusCode).toBe(0);
    } finally {
      await container.remove({ force: true });
    }
  }, 30_000);
});

describe('SFTP on the same connection', () => {
  it('creates directories, writes atomically with a mode, reads back, up/downloads, removes', async () => {
    const connectsBefore = pool.stats(host).connects;
    const dir = `/tmp/cw-sftp-${rand()}`;
    const local = mkdtempSync(join(tmpdir(), 'cw-sftp-local-'));
    try {
      await mkdirp(host, `${dir}/a/b`, { pool });
      await mkdirp(host, `${dir}/a/b`, { pool }); // idempotent
      const file = `${dir}/a/b/odoo.conf`;
      await writeFile(host, file, '[options]\nadmin_passwd = x\n', { pool, mode: 0o600 });
      expect((await readFile(host, file, { pool })).toString()).toBe('[options]\nadmin_passwd = x\n');
      expect((await runChecked(host, ['stat', '-c', '%a', file], { pool })).stdout.trim()).toBe('600');

      await writeFile(host, file, Buffer.alloc(200_000, 'z'), { pool });
      expect((await readFile(host, file, { pool })).equals(Buffer.alloc(200_000, 'z'))).toBe(true);
      expect((await runChecked(host, ['stat', '-c', '%a', file], { pool })).stdout.trim()).toBe('644');
      // No temporary files left beside the target.
      expect((await runChecked(host, ['ls', '-A', `${dir}/a/b`], { pool })).stdout).toBe('odoo.conf\n');

      expect(await exists(host, file, { pool })).toBe(true);
      expect(await exists(host, `${dir}/missing`, { pool })).toBe(false);
      const missing = await readFile(host, `${dir}/missing`, { pool }).catch((e) => e);
      expect(missing).toBeInstanceOf(HostFileError);
      expect(missing.code).toBe(2);

      writeFileSync(join(local, 'up.bin'), randomBytes(100_000));
      await uploadFile(host, join(local, 'up.bin'), `${dir}/up.bin`, { pool, mode: 0o640 });
      await downloadFile(host, `${dir}/up.bin`, join(local, 'down.bin'), { pool });
      expect(readFileSync(join(local, 'down.bin')).equals(readFileSync(join(local, 'up.bin')))).toBe(true);
      expect((await runChecked(host, ['stat', '-c', '%a', `${dir}/up.bin`], { pool })).stdout.trim()).toBe(
        '640',
      );

      await removeFile(host, `${dir}/up.bin`, { pool });
      await removeFile(host, `${dir}/up.bin`, { pool }); // already gone: fine
      expect(await exists(host, `${dir}/up.bin`, { pool })).toBe(false);
      expect(pool.stats(host).connects).toBe(connectsBefore);
    } finally {
      await runChecked(host, ['rm', '-rf', '--', dir], { pool });
      rmSync(local, { recursive: true, force: true });
    }
  });
});
