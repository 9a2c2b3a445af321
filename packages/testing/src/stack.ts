// startStack(): brings up the requested services (reusing whatever already answers), in parallel
// where independent, and returns their endpoints. Daemons are detached: they outlive the caller.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureDocker } from './docker.js';
import { ensureImages } from './images/index.js';
import { withLock } from './images/lock.js';
import { ensureNginx } from './nginx.js';
import { ensurePebble } from './pebble.js';
import { ensurePostgres } from './postgres.js';
import { daemonNames, runDir, runningDaemon, stopDaemon } from './process.js';
import { resolveSettings, type StackSettings } from './settings.js';
import { ensureSsh } from './ssh.js';
import { ensureTemporal } from './temporal.js';
import type { Stack, StackOptions, StackService } from './types.js';

type Endpoints = Omit<Stack, 'stateDir' | 'ports' | 'stop'>;
/** Which service provides each Stack field. */
const FIELD_SERVICE: Record<keyof Endpoints, StackService> = {
  temporal: 'temporal',
  docker: 'docker',
  hosts: 'ssh',
  postgres: 'postgres',
  nginx: 'nginx',
  pebble: 'pebble',
  images: 'images',
};

/** Stops last what others lean on. */
const STOP_LAST = ['dockerd'];

async function runningDaemons(stateDir: string): Promise<Set<string>> {
  const names = await daemonNames(stateDir);
  const running = await Promise.all(
    names.map(async (name) => ((await runningDaemon(stateDir, name)) ? name : '')),
  );
  return new Set(running.filter(Boolean));
}

/** Stops the named daemons (those this process started); dockerd last. */
export async function stopDaemons(stateDir: string, names: Iterable<string>): Promise<string[]> {
  const all = [...names];
  const first = all.filter((name) => !STOP_LAST.includes(name));
  const last = all.filter((name) => STOP_LAST.includes(name));
  const stopped = await Promise.all(
    first.map(async (name) => ((await stopDaemon(stateDir, name)) ? name : '')),
  );
  for (const name of last) if (await stopDaemon(stateDir, name)) stopped.push(name);
  return stopped.filter(Boolean);
}

async function startServices(settings: StackSettings): Promise<Partial<Endpoints>> {
  const want = (service: StackService) => settings.services.has(service);
  const { stateDir, log } = settings;
  const docker = want('docker') ? ensureDocker(settings) : undefined;
  const pending: { [K in keyof Endpoints]?: Promise<Endpoints[K]> } = {
    docker,
    // Images are built by the Docker daemon: after it answers.
    images: want('images') && docker ? docker.then(() => ensureImages({ stateDir, log })) : undefined,
    temporal: want('temporal') ? ensureTemporal(settings) : undefined,
    hosts: want('ssh') ? ensureSsh(settings) : undefined,
    postgres: want('postgres') ? ensurePostgres(settings) : undefined,
    nginx: want('nginx') ? ensureNginx(settings) : undefined,
    pebble: want('pebble') ? ensurePebble(settings) : undefined,
  };
  const entries = Object.entries(pending).filter(([, promise]) => promise);
  const settled = await Promise.allSettled(entries.map(([, promise]) => promise));
  const failures = settled.flatMap((result, i) =>
    result.status === 'rejected'
      ? [`- ${entries[i]?.[0]}: ${(result.reason as Error).message ?? result.reason}`]
      : [],
  );
  if (failures.length > 0) {
    throw new Error(`the local stack did not start (${stateDir}):\n${failures.join('\n')}`);
  }
  return Object.fromEntries(
    entries.map(([field], i) => [field, (settled[i] as PromiseFulfilledResult<unknown>).value]),
  ) as Partial<Endpoints>;
}

function buildStack(settings: StackSettings, endpoints: Partial<Endpoints>, started: string[]): Stack {
  let stopping: Promise<void> | undefined;
  const stack = {
    stateDir: settings.stateDir,
    ports: settings.ports,
    stop: () => {
      stopping ??= stopDaemons(settings.stateDir, started).then(() => {});
      return stopping;
    },
  } as Stack;
  for (const [field, service] of Object.entries(FIELD_SERVICE) as [keyof Endpoints, StackService][]) {
    const value = endpoints[field];
    if (value !== undefined) {
      Object.defineProperty(stack, field, { value, enumerable: true });
    } else {
      // A clear error instead of `undefined` deep inside a test.
      Object.defineProperty(stack, field, {
        enumerable: false,
        get() {
          throw new Error(
            `stack.${field}: the stack was started without '${service}' (add it to startStack({ services }))`,
          );
        },
      });
    }
  }
  return stack;
}

/**
 * Starts the requested services (default: all) and what they need, reusing those already
 * running; safe to call from several processes at once (they queue on a lock in the state dir).
 * `stop()` stops only the daemons this call started.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const settings = resolveSettings(options);
  const { stateDir, log } = settings;
  await mkdir(runDir(stateDir), { recursive: true, mode: 0o755 });
  return withLock(
    join(runDir(stateDir), 'stack.lock'),
    async () => {
      const before = await runningDaemons(stateDir);
      const notBefore = (names: Iterable<string>) => [...names].filter((name) => !before.has(name));
      try {
        const endpoints = await startServices(settings);
        return buildStack(settings, endpoints, notBefore(await runningDaemons(stateDir)));
      } catch (error) {
        // Leave nothing half-started behind a failed call (and no pid files of daemons that died).
        await stopDaemons(stateDir, notBefore(await daemonNames(stateDir)));
        throw error;
      }
    },
    { onWait: (holder) => log(`waiting for another startStack() (pid ${holder}) ...`) },
  );
}

/** Stops every daemon with a pid file in the state dir (`cloudwady-stack down`). */
export async function stopStack(options: Pick<StackOptions, 'stateDir'> = {}): Promise<string[]> {
  const { stateDir } = resolveSettings({ stateDir: options.stateDir });
  return stopDaemons(stateDir, await daemonNames(stateDir));
}
