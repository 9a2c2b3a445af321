// Docker Engine: reuse the machine's dockerd, or start one with the default bridge off (containers
// use host networking on loopback; the 172.17.0.0/16 bridge must never appear).
import { httpRequest } from './http.js';
import { findExecutable, startDaemon, waitFor } from './process.js';
import type { StackSettings } from './settings.js';
import type { DockerEndpoint } from './types.js';

export const DOCKER_SOCKET = '/var/run/docker.sock';

export function dockerdArgv(dockerd: string, socketPath: string = DOCKER_SOCKET): string[] {
  return [dockerd, '--bridge=none', '--iptables=false', '--ip-masq=false', '-H', `unix://${socketPath}`];
}

/** The Engine API answers `GET /_ping` with "OK". */
export async function dockerAnswers(socketPath: string = DOCKER_SOCKET): Promise<boolean> {
  try {
    const response = await httpRequest({ url: 'http://docker/_ping', socketPath });
    return response.status === 200 && response.body === 'OK';
  } catch {
    return false;
  }
}

export async function ensureDocker(settings: StackSettings): Promise<DockerEndpoint> {
  const endpoint: DockerEndpoint = { socketPath: DOCKER_SOCKET };
  if (await dockerAnswers(endpoint.socketPath)) {
    settings.log(`Docker: reusing the daemon on ${endpoint.socketPath}`);
    return endpoint;
  }
  const dockerd = await findExecutable(
    'dockerd',
    ['/usr/sbin/dockerd', '/usr/bin/dockerd'],
    'apt-get install docker.io',
  );
  settings.log(`Docker: starting dockerd on ${endpoint.socketPath} (bridge off) ...`);
  const daemon = await startDaemon({
    stateDir: settings.stateDir,
    name: 'dockerd',
    argv: dockerdArgv(dockerd),
  });
  await waitFor(() => dockerAnswers(endpoint.socketPath), {
    what: `dockerd on ${endpoint.socketPath}`,
    timeoutMs: 60_000,
    daemon,
    logFile: daemon.logFile,
    fix: 'check the log (is another dockerd holding /var/run/docker.pid?)',
  });
  return endpoint;
}
