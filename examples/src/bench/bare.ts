// The bare baselines: what an operator does by hand on the server (this machine) for the same
// result, with the docker CLI, a /web/health poll on the loopback port, and nginx. Containers and
// mounts are built from the same builders the engine uses, so only the orchestration differs.
import { execFile } from 'node:child_process';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import {
  isHealthy,
  nginxConfig,
  ODOO_CONFIG_TARGET,
  odooMounts,
  odooServeCommand,
} from '@cloudwady/activities';
import type { Stack } from '@cloudwady/testing';

const exec = promisify(execFile);

/** Containers the bench starts by hand carry this label (value: the bench run), for cleanup. */
export const BENCH_LABEL = 'org.cloudwady.bench';

/** Runs argv (never through a shell) and returns its stdout; a failure says which command. */
export async function run(argv: string[], timeoutMs = 120_000): Promise<string> {
  const [file, ...args] = argv;
  if (file === undefined) throw new Error('empty argv');
  try {
    const { stdout } = await exec(file, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const e = error as Error & { stderr?: string };
    throw new Error(`${argv.slice(0, 3).join(' ')} failed: ${(e.stderr ?? e.message).trim()}`);
  }
}

/** One GET on 127.0.0.1:port; status and body, or the connection error. */
function get(port: number, path: string, timeoutMs: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

/**
 * Polls /web/health on the loopback port as the engine's waitHealthy does (an attempt at once,
 * then one every `intervalMs`, healthy on 200 {"status": "pass"}), but as often as asked.
 */
export async function waitHealthyByHand(port: number, intervalMs: number, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  let last = 'no attempt';
  while (Date.now() - started < timeoutMs) {
    try {
      const res = await get(port, '/web/health', 5_000);
      if (isHealthy(res.status, res.body)) return;
      last = `HTTP ${res.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(intervalMs);
  }
  throw new Error(`127.0.0.1:${port} not healthy after ${timeoutMs} ms (last: ${last})`);
}

/** A loopback port nobody listens on, above the engine's range and below Linux's ephemeral one. */
export async function freeLoopbackPort(from = 31_000, to = 32_000): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = from + Math.floor(Math.random() * (to - from));
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free loopback port in ${from}-${to}`);
}

export interface BareRelease {
  container: string;
  port: number;
  releaseId: string;
}

export interface BareRunSpec {
  name: string;
  benchId: string;
  releaseId: string;
  image: string;
  /** The release's odoo.conf and the app's data dir, as the engine mounts them. */
  configPath: string;
  dataDir: string;
  port: number;
}

/** `docker run -d --network host` of a release with the engine's mounts and odoo command line. */
export function bareRunArgv(spec: BareRunSpec): string[] {
  const mounts = odooMounts(spec).flatMap((m) => [
    '--mount',
    `type=bind,source=${m.source},target=${m.target}${m.readOnly ? ',readonly' : ''}`,
  ]);
  const command = odooServeCommand({ port: spec.port, geventPort: null });
  if (!command.includes(ODOO_CONFIG_TARGET)) throw new Error('odoo command without its config');
  return [
    'docker',
    'run',
    '--detach',
    '--name',
    spec.name,
    '--network',
    'host',
    '--label',
    `${BENCH_LABEL}=${spec.benchId}`,
    // The release id is not a secret; the stand-in shows it in X-CloudWady-Release.
    '--env',
    `CLOUDWADY_RELEASE=${spec.releaseId}`,
    ...mounts,
    spec.image,
    ...command,
  ];
}

/** The bare site: the engine's renderer, for a domain of its own (the app's site is left alone). */
export function bareSite(stack: Stack, appId: string, domain: string, port: number): string {
  return nginxConfig.renderSite({
    appId,
    domains: [domain],
    httpPort: port,
    workers: 0,
    acmeChallengeDir: stack.nginx.acmeChallengeDir,
    listen: { address: '127.0.0.1', httpPort: stack.nginx.httpPort },
  });
}

/** `docker stop` then `docker rm` (what the engine's stopRelease does through the Engine API). */
export async function stopAndRemove(name: string): Promise<void> {
  await run(['docker', 'stop', name]);
  await run(['docker', 'rm', name]);
}

/** Every container this bench run started by hand. */
export async function removeBenchContainers(benchId: string): Promise<void> {
  const ids = (await run(['docker', 'ps', '-aq', '--filter', `label=${BENCH_LABEL}=${benchId}`]))
    .split('\n')
    .filter(Boolean);
  if (ids.length > 0) await run(['docker', 'rm', '--force', ...ids]);
}
