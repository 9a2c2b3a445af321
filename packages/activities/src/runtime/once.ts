// One-off containers: `odoo -i/-u ... --stop-after-init`, `odoo neutralize`, psql. The
// container is attached before it starts (so no output line is missed), its output streamed
// line by line, its exit awaited, and it is removed afterwards. Its name is deterministic: a
// leftover from a crashed worker is removed before the retry runs it again.

import type Docker from 'dockerode';
import type { ContainerCreateOptions } from 'dockerode';
import { sshPool } from '../host/connection-pool.js';
import { dockerFor } from '../host/docker.js';
import type { OutputStream } from '../host/exec.js';
import type { HostServer } from '../host/server.js';
import { mkdirp } from '../host/sftp.js';
import type { RuntimeOptions } from './containers.js';
import { DockerLineSplitter, removeContainer } from './docker-io.js';
import { type OdooOnceSpec, odooOnceRequest } from './requests.js';

export interface OnceRunOptions {
  /** Each output line as it comes (Odoo logs to stderr). */
  onOutput?: (line: string, stream: OutputStream) => void;
  /** Stops (kills) the container; the call then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Called every few seconds while the container runs (Temporal activity heartbeat). */
  heartbeat?: () => void;
}

export interface OnceResult {
  exitCode: number;
  /** Output lines, stdout and stderr interleaved as they came (the last 5000 at most). */
  output: string[];
  stdout: string;
  stderr: string;
}

const KEEP_LINES = 5000;
const HEARTBEAT_MS = 5_000;
/** After the exit, how long the attached stream may take to deliver the last lines. */
const DRAIN_MS = 10_000;

/** Create `body` (replacing a leftover of the same name), run it to its end, remove it. */
export async function runContainerOnce(
  server: HostServer,
  body: ContainerCreateOptions & { name: string },
  {
    stdin,
    onOutput,
    signal,
    heartbeat,
    pool = sshPool,
  }: OnceRunOptions & RuntimeOptions & { stdin?: string },
): Promise<OnceResult> {
  signal?.throwIfAborted();
  const docker = dockerFor(server, { pool });
  await removeContainer(docker, body.name);
  const container = await docker.createContainer(body);
  const output: string[] = [];
  const text: Record<OutputStream, string[]> = { stdout: [], stderr: [] };
  const splitter = new DockerLineSplitter((line, stream) => {
    output.push(line);
    if (output.length > KEEP_LINES) output.shift();
    text[stream].push(line);
    if (text[stream].length > KEEP_LINES) text[stream].shift();
    onOutput?.(line, stream);
  });
  const timer = heartbeat === undefined ? undefined : setInterval(heartbeat, HEARTBEAT_MS);
  const kill = () => {
    container.kill().catch(() => {});
  };
  signal?.addEventListener('abort', kill, { once: true });
  try {
    const { drained } = await attach(container, stdin, splitter);
    await container.start();
    if (signal?.aborted) kill(); // aborted while starting: the listener ran too early to kill it
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    await Promise.race([drained, new Promise((resolve) => setTimeout(resolve, DRAIN_MS).unref())]);
    splitter.end();
    signal?.throwIfAborted();
    return { exitCode: StatusCode, output, stdout: joinLines(text.stdout), stderr: joinLines(text.stderr) };
  } finally {
    clearInterval(timer);
    signal?.removeEventListener('abort', kill);
    await removeContainer(docker, body.name).catch(() => false);
  }
}

function joinLines(lines: string[]): string {
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/**
 * Attach to the created container's output (and stdin when given). Resolves once attached, with
 * `drained`: the end of the stream. With stdin, the connection is hijacked (raw both ways) and
 * the input is written then half-closed, which closes the container's stdin (StdinOnce).
 */
async function attach(
  container: Docker.Container,
  stdin: string | undefined,
  splitter: DockerLineSplitter,
): Promise<{ drained: Promise<void> }> {
  const withStdin = stdin !== undefined;
  const stream = (await container.attach({
    stream: true,
    stdout: true,
    stderr: true,
    ...(withStdin ? { stdin: true, hijack: true } : {}),
  })) as NodeJS.ReadWriteStream;
  const drained = new Promise<void>((resolve) => {
    stream.on('data', (chunk: Buffer) => splitter.push(chunk));
    stream.on('end', () => resolve());
    stream.on('close', () => resolve());
    stream.on('error', () => resolve()); // the exit code still comes from wait()
  });
  if (withStdin) stream.end(stdin);
  return { drained };
}

export interface RunOdooOnceInput extends OdooOnceSpec, OnceRunOptions {}

/**
 * `odoo -c /etc/odoo/odoo.conf ...args` in a one-off container of the release's image, with
 * its config and data dir, on the host network. A subcommand (`neutralize`, `shell`) given as
 * the first arg is put before `-c`, where Odoo expects it. Returns the exit code: callers decide
 * what a failure means (the output says why).
 */
export async function runOdooOnce(
  server: HostServer,
  input: RunOdooOnceInput,
  { pool = sshPool }: RuntimeOptions = {},
): Promise<{ exitCode: number; output: string[] }> {
  const body = odooOnceRequest(input) as ContainerCreateOptions & { name: string };
  await mkdirp(server, input.dataDir, { pool });
  const result = await runContainerOnce(server, body, {
    pool,
    ...(input.onOutput === undefined ? {} : { onOutput: input.onOutput }),
    ...(input.signal === undefined ? {} : { signal: input.signal }),
    ...(input.heartbeat === undefined ? {} : { heartbeat: input.heartbeat }),
  });
  return { exitCode: result.exitCode, output: result.output };
}
