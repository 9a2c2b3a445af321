// A release's long-running container: ensure (create on a free loopback port pair, or find the
// one a previous attempt made), restart, stop, list, remove. Everything goes through the Docker
// Engine API over the server's pooled SSH connection; every function can run twice.
import { posix } from 'node:path';
import type Docker from 'dockerode';
import { containerName, RELEASE_LABEL } from '../commands/app-container.js';
import { listAppContainersRequest } from '../commands/containers.js';
import * as v from '../commands/validate.js';
import { type SshConnectionPool, sshPool } from '../host/connection-pool.js';
import { dockerFor } from '../host/docker.js';
import type { HostServer } from '../host/server.js';
import { serverLabel } from '../host/server.js';
import { mkdirp } from '../host/sftp.js';
import { listeningPorts, lostPortRace, portsClaimedByContainers } from './allocate-port.js';
import { hasStatus, inspectOrNull, removeContainer } from './docker-io.js';
import { ForeignContainerError, PortAllocationError, ReleaseContainerNotFoundError } from './errors.js';
import { type ContainerRole, portsFromLabels, type ReleasePorts, ROLE_LABEL } from './labels.js';
import { choosePortPair, type PortRange, validPortRange } from './ports.js';
import { releaseContainerRequest } from './requests.js';

/** Options every runtime function takes last (tests pass their own pool). */
export interface RuntimeOptions {
  pool?: SshConnectionPool;
}

export interface EnsureReleaseContainerInput {
  appId: string;
  releaseId: string;
  image: string;
  /** odoo.conf on the server (written by writeReleaseConfig), mounted read-only. */
  configPath: string;
  /** Odoo's data dir on the server (created when missing), mounted at /var/lib/odoo. */
  dataDir: string;
  /** Loopback ports to choose from; default [20000, 29999] (below Linux's ephemeral range). */
  portRange?: PortRange;
  /** Also listen on P+1 for /websocket (Odoo with workers > 0). */
  gevent: boolean;
  /** Container environment (not argv, so not in `ps` or error messages). */
  env?: Record<string, string>;
  /** Seconds Docker waits after SIGTERM before SIGKILL when the container is stopped. */
  stopTimeoutSeconds?: number;
}

export interface RunningRelease {
  container: string;
  port: number;
  geventPort: number | null;
}

/** Allocations lost to a concurrent caller before giving up (each loser picks another pair). */
const MAX_ALLOCATION_ATTEMPTS = 8;

/**
 * The release's container, running on its loopback port pair. Found by its deterministic name
 * when a previous attempt made it (started again if stopped); otherwise created on a free pair
 * (checked against every CloudWady container's labels and the server's listening sockets).
 */
export async function ensureReleaseContainer(
  server: HostServer,
  input: EnsureReleaseContainerInput,
  { pool = sshPool }: RuntimeOptions = {},
): Promise<RunningRelease> {
  const name = containerName(input.appId, input.releaseId);
  const range = validPortRange(input.portRange);
  const docker = dockerFor(server, { pool });
  const lost = new Set<number>();
  for (let attempt = 0; attempt < MAX_ALLOCATION_ATTEMPTS; attempt++) {
    const existing = await inspectOrNull(docker, name);
    if (existing !== null) return startExisting(server, docker, name, existing);

    // A bind mount of a missing directory fails; the data dir is ours to create.
    await mkdirp(server, v.absolutePath('dataDir', input.dataDir), { pool });
    const [claimed, listening] = await Promise.all([
      portsClaimedByContainers(docker),
      listeningPorts(server, pool),
    ]);
    const taken = new Set([...claimed, ...listening, ...lost]);
    const port = choosePortPair(range, taken, name);
    if (port === null) {
      throw new PortAllocationError(
        `no free loopback port pair in ${range[0]}-${range[1]} on ${serverLabel(server)} for ${name}`,
        serverLabel(server),
      );
    }
    const ports: ReleasePorts = { port, geventPort: input.gevent ? port + 1 : null };
    try {
      await docker.createContainer(releaseContainerRequest({ ...input, ...ports }));
    } catch (err) {
      if (hasStatus(err, 409)) continue; // made meanwhile under our name: the next turn finds it
      throw err;
    }
    // Checked before starting, so a loser never binds the port it lost.
    if (await lostPortRace(docker, name, port)) {
      await removeContainer(docker, name);
      lost.add(port).add(port + 1);
      continue;
    }
    await startContainer(docker, name);
    return { container: name, ...ports };
  }
  throw new PortAllocationError(
    `gave up allocating a port pair for ${name} on ${serverLabel(server)} after ${MAX_ALLOCATION_ATTEMPTS} lost races`,
    serverLabel(server),
  );
}

async function startExisting(
  server: HostServer,
  docker: Docker,
  name: string,
  info: Docker.ContainerInspectInfo,
): Promise<RunningRelease> {
  const ports = portsFromLabels(info.Config.Labels);
  if (ports === null) throw new ForeignContainerError(serverLabel(server), name);
  if (!info.State.Running) await startContainer(docker, name);
  return { container: name, ...ports };
}

async function startContainer(docker: Docker, name: string): Promise<void> {
  try {
    await docker.getContainer(name).start();
  } catch (err) {
    if (!hasStatus(err, 304)) throw err; // 304: already started
  }
}

/** Restart the release's container (Restart Service, Update Config); it keeps its ports. */
export async function restartReleaseContainer(
  server: HostServer,
  input: { appId: string; releaseId: string; graceSeconds?: number },
  { pool = sshPool }: RuntimeOptions = {},
): Promise<RunningRelease> {
  const name = containerName(input.appId, input.releaseId);
  const docker = dockerFor(server, { pool });
  const info = await inspectOrNull(docker, name);
  if (info === null) throw new ReleaseContainerNotFoundError(serverLabel(server), name);
  const ports = portsFromLabels(info.Config.Labels);
  if (ports === null) throw new ForeignContainerError(serverLabel(server), name);
  await docker
    .getContainer(name)
    .restart(
      input.graceSeconds === undefined ? {} : { t: v.integer('graceSeconds', input.graceSeconds, 0, 3600) },
    );
  return { container: name, ...ports };
}

/** Stop (and optionally remove) the release's container. A missing container is already done. */
export async function stopReleaseContainer(
  server: HostServer,
  input: { appId: string; releaseId: string; remove: boolean; graceSeconds?: number },
  { pool = sshPool }: RuntimeOptions = {},
): Promise<{ existed: boolean }> {
  const name = containerName(input.appId, input.releaseId);
  const docker = dockerFor(server, { pool });
  const grace =
    input.graceSeconds === undefined ? {} : { t: v.integer('graceSeconds', input.graceSeconds, 0, 3600) };
  try {
    await docker.getContainer(name).stop(grace);
  } catch (err) {
    if (hasStatus(err, 404)) return { existed: false };
    if (!hasStatus(err, 304)) throw err; // 304: already stopped
  }
  if (input.remove) await removeContainer(docker, name);
  return { existed: true };
}

export interface AppContainer {
  id: string;
  name: string;
  releaseId: string;
  role: ContainerRole;
  image: string;
  /** Docker's state: created, running, restarting, exited, ... */
  state: string;
  /** Docker's human status ("Up 3 minutes", "Exited (0) 2 seconds ago"). */
  status: string;
  port: number | null;
  geventPort: number | null;
  /** Creation time, seconds since the epoch. */
  created: number;
}

/** Every container of the app (any release, stopped ones and one-off runs too), oldest first. */
export async function listAppContainers(
  server: HostServer,
  appId: string,
  { pool = sshPool }: RuntimeOptions = {},
): Promise<AppContainer[]> {
  const docker = dockerFor(server, { pool });
  const containers = await docker.listContainers(listAppContainersRequest(appId));
  return containers
    .map((c): AppContainer => {
      const labels = c.Labels ?? {};
      const ports = portsFromLabels(labels);
      return {
        id: c.Id,
        name: posix.basename(c.Names[0] ?? c.Id),
        releaseId: labels[RELEASE_LABEL] ?? '',
        role: labels[ROLE_LABEL] === 'once' ? 'once' : 'release',
        image: c.Image,
        state: c.State,
        status: c.Status,
        port: ports?.port ?? null,
        geventPort: ports?.geventPort ?? null,
        created: c.Created,
      };
    })
    .sort((a, b) => a.created - b.created || (a.name < b.name ? -1 : 1));
}

/** Remove every container of the app (Delete Instance, Destroy). Returns the removed names. */
export async function removeAppContainers(
  server: HostServer,
  appId: string,
  { pool = sshPool }: RuntimeOptions = {},
): Promise<string[]> {
  const docker = dockerFor(server, { pool });
  const containers = await listAppContainers(server, appId, { pool });
  const removed: string[] = [];
  for (const container of containers) {
    if (await removeContainer(docker, container.id)) removed.push(container.name);
  }
  return removed;
}
