// Everything startStack() decides before starting anything: state dir, ports, services.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { resolvePorts } from './ports.js';
import type { StackOptions, StackPorts, StackService } from './types.js';

export const ALL_SERVICES: readonly StackService[] = [
  'temporal',
  'docker',
  'ssh',
  'postgres',
  'nginx',
  'pebble',
  'images',
];

/** Services that cannot work without others. */
const NEEDS: Partial<Record<StackService, StackService[]>> = { images: ['docker'] };

export interface StackSettings {
  stateDir: string;
  ports: StackPorts;
  services: Set<StackService>;
  secondHost: boolean;
  sshUser: string;
  temporalCli?: string;
  log: (line: string) => void;
}

/**
 * Env CLOUDWADY_STACK_DIR, else (as root) /var/lib/cloudwady/stack, else ~/.cache/cloudwady/stack.
 * Root's home is private (0700) and PostgreSQL and nginx workers run as other OS users, who must
 * reach their files: so root's stack lives under /var/lib.
 */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CLOUDWADY_STACK_DIR) return resolve(env.CLOUDWADY_STACK_DIR);
  if (process.getuid?.() === 0) return '/var/lib/cloudwady/stack';
  return join(homedir(), '.cache', 'cloudwady', 'stack');
}

export function resolveServices(requested?: StackService[]): Set<StackService> {
  const services = new Set<StackService>(requested ?? ALL_SERVICES);
  for (const service of [...services]) {
    if (!ALL_SERVICES.includes(service)) {
      throw new Error(`unknown stack service ${JSON.stringify(service)} (one of ${ALL_SERVICES.join(', ')})`);
    }
    for (const needed of NEEDS[service] ?? []) services.add(needed);
  }
  return services;
}

export function resolveSettings(
  options: StackOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): StackSettings {
  return {
    stateDir: options.stateDir ? resolve(options.stateDir) : defaultStateDir(env),
    ports: resolvePorts(options.ports, env),
    services: resolveServices(options.services),
    secondHost: options.secondHost ?? false,
    sshUser: options.sshUser ?? 'root',
    temporalCli: options.temporalCli,
    log: options.log ?? (() => {}),
  };
}
