import { dockerFor } from '../host/docker.js';
import { runChecked } from '../host/exec.js';
import type { HostServer } from '../host/server.js';

/**
 * Finds a server's connection details (with its private key) by id. Workflows pass only ids,
 * so keys never enter workflow history; the worker wires this to the platform's store.
 */
export type ServerResolver = (serverId: string) => Promise<HostServer>;

export interface SshCheck {
  user: string;
  kernel: string;
}

export interface DockerCheck {
  version: string;
  apiVersion: string;
  containers: number;
}

/** "Is this server ready to host apps?": SSH login and the Docker Engine behind it. */
export function serverCheckActivities(resolveServer: ServerResolver) {
  return {
    async checkSsh(serverId: string): Promise<SshCheck> {
      const server = await resolveServer(serverId);
      const { stdout } = await runChecked(server, ['sh', '-c', 'id -un; uname -sr']);
      const [user = '', kernel = ''] = stdout.trim().split('\n');
      return { user, kernel };
    },

    async checkDocker(serverId: string): Promise<DockerCheck> {
      const docker = dockerFor(await resolveServer(serverId));
      const [version, containers] = await Promise.all([
        docker.version(),
        docker.listContainers({ all: true }),
      ]);
      return { version: version.Version, apiVersion: version.ApiVersion, containers: containers.length };
    },
  };
}

export type ServerCheckActivities = ReturnType<typeof serverCheckActivities>;
