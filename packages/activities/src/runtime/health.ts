// Waits for a release to answer GET /web/health with 200 {"status": "pass"} on its loopback
// port, asked from the server itself through the pooled SSH connection. Only a healthy release
// is routed to; an unhealthy one fails the deploy with its last answer and last log lines.
import { setTimeout as sleep } from 'node:timers/promises';
import { sshPool } from '../host/connection-pool.js';
import { dockerFor } from '../host/docker.js';
import { type HostServer, serverLabel } from '../host/server.js';
import type { RuntimeOptions } from './containers.js';
import { lastLogLines } from './docker-io.js';
import { UnhealthyReleaseError } from './errors.js';
import { PORT_LABEL } from './labels.js';
import { httpGetViaServer, LoopbackConnectError } from './loopback-http.js';

export interface WaitHealthyInput {
  port: number;
  /** Give up after this long; default 120 s (Odoo loads its registry before answering). */
  timeoutMs?: number;
  /** Pause between attempts; default 1 s. */
  intervalMs?: number;
  signal?: AbortSignal;
  /** Each failed attempt, with the HTTP status or why there was none ("connection refused"). */
  onAttempt?: (attempt: number, status: number | string) => void;
  /** The release's container, for its logs in the error; found by its port label when absent. */
  container?: string;
}

const HEALTH_PATH = '/web/health';
const ATTEMPT_TIMEOUT_MS = 5_000;
const LOG_LINES = 50;

/** Odoo's health answer: 200 with a JSON body whose status is "pass". */
export function isHealthy(status: number, body: string): boolean {
  if (status !== 200) return false;
  try {
    return (JSON.parse(body) as { status?: unknown })?.status === 'pass';
  } catch {
    return false;
  }
}

export async function waitHealthy(
  server: HostServer,
  input: WaitHealthyInput,
  { pool = sshPool }: RuntimeOptions = {},
): Promise<void> {
  const timeoutMs = input.timeoutMs ?? 120_000;
  const intervalMs = input.intervalMs ?? 1_000;
  const started = Date.now();
  let lastStatus: number | string = 'no attempt';
  let lastBody = '';
  for (let attempt = 1; ; attempt++) {
    input.signal?.throwIfAborted();
    const left = timeoutMs - (Date.now() - started);
    try {
      const res = await httpGetViaServer(
        server,
        {
          port: input.port,
          path: HEALTH_PATH,
          timeoutMs: Math.max(1, Math.min(ATTEMPT_TIMEOUT_MS, left)),
          ...(input.signal === undefined ? {} : { signal: input.signal }),
        },
        { pool },
      );
      if (isHealthy(res.status, res.body)) return;
      lastStatus = res.status;
      lastBody = res.body.slice(0, 500);
    } catch (err) {
      input.signal?.throwIfAborted();
      lastStatus = err instanceof LoopbackConnectError ? err.reason : (err as Error).message;
      lastBody = '';
    }
    input.onAttempt?.(attempt, lastStatus);
    if (Date.now() - started + intervalMs > timeoutMs) break;
    await sleep(intervalMs, undefined, input.signal === undefined ? {} : { signal: input.signal }).catch(
      (err) => {
        input.signal?.throwIfAborted(); // the caller's reason, not the timer's AbortError
        throw err;
      },
    );
  }
  const docker = dockerFor(server, { pool });
  const container = input.container ?? (await containerOnPort(server, input.port, { pool }));
  const logs =
    container === undefined ? [] : await lastLogLines(docker, container, LOG_LINES).catch(() => []);
  throw new UnhealthyReleaseError(
    serverLabel(server),
    input.port,
    lastStatus,
    lastBody,
    logs,
    Date.now() - started,
    container,
  );
}

/** The CloudWady container whose port label is `port` (running or not). */
async function containerOnPort(server: HostServer, port: number, { pool = sshPool }: RuntimeOptions) {
  const containers = await dockerFor(server, { pool })
    .listContainers({ all: true, filters: { label: [`${PORT_LABEL}=${port}`] } })
    .catch(() => []);
  const name = containers[0]?.Names[0];
  return name?.replace(/^\//, '');
}
