// Reads what is taken on the server (containers' port labels, listening sockets) and settles
// races between concurrent allocations. The app queue serialises one app's operations; two
// apps deploying at once may still pick the same pair, so after creating its container each
// caller looks again: of the containers claiming the same port, the oldest keeps it.
import type Docker from 'dockerode';
import { APP_LABEL } from '../commands/app-container.js';
import type { SshConnectionPool } from '../host/connection-pool.js';
import { run } from '../host/exec.js';
import type { HostServer } from '../host/server.js';
import { claimedPorts, parseProcNetTcp, parseSsListening } from './ports.js';

/** Ports claimed by any CloudWady container on the server (every app, stopped ones too). */
export async function portsClaimedByContainers(docker: Docker): Promise<Set<number>> {
  const containers = await docker.listContainers({ all: true, filters: { label: [APP_LABEL] } });
  return claimedPorts(containers);
}

/** TCP ports something listens on (host network: the containers' sockets show up here too). */
export async function listeningPorts(server: HostServer, pool: SshConnectionPool): Promise<Set<number>> {
  const ss = await run(server, ['ss', '-ltnH'], { pool, timeoutMs: 15_000 });
  if (ss.exitCode === 0) return parseSsListening(ss.stdout);
  // No iproute2 on the server: the kernel's tables say the same.
  const proc = await run(server, ['cat', '/proc/net/tcp', '/proc/net/tcp6'], { pool, timeoutMs: 15_000 });
  return parseProcNetTcp(proc.stdout);
}

/**
 * After creating `name` with port pair `port`: true when an older container claims the same
 * ports (it keeps them; this caller removes its container and allocates again).
 */
export async function lostPortRace(docker: Docker, name: string, port: number): Promise<boolean> {
  const containers = await docker.listContainers({ all: true, filters: { label: [APP_LABEL] } });
  const mine = new Set([port, port + 1]);
  const rivals = containers.filter(
    (c) => !c.Names.includes(`/${name}`) && [...claimedPorts([c])].some((p) => mine.has(p)),
  );
  if (rivals.length === 0) return false;
  // The list's Created is in seconds; inspect gives nanoseconds. Ties go to the smaller id.
  const created = async (id: string) => {
    const info = await docker
      .getContainer(id)
      .inspect()
      .catch(() => null);
    return info === null ? null : { id: info.Id, created: createdNanos(info.Created) };
  };
  const self = await created(name);
  if (self === null) return true;
  for (const rival of rivals) {
    const other = await created(rival.Id);
    if (other === null) continue; // removed meanwhile (it lost)
    if (other.created < self.created || (other.created === self.created && other.id < self.id)) return true;
  }
  return false;
}

/** Docker's RFC 3339 "Created" with up to 9 fraction digits (trailing zeros dropped), in ns. */
export function createdNanos(created: string): bigint {
  const match = created.match(/^(.*?T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/);
  if (match === null) return BigInt(Date.parse(created) || 0) * 1_000_000n;
  const seconds = BigInt(Date.parse(`${match[1]}${match[3]}`)) / 1000n;
  return seconds * 1_000_000_000n + BigInt((match[2] ?? '').padEnd(9, '0'));
}
