// A dockerode client per server whose HTTP requests travel over the server's pooled SSH
// connection: each request opens a stream to the remote Docker socket (OpenSSH streamlocal
// forwarding), so a server needs only sshd and Docker (no TCP socket, no docker CLI dial-stdio).
import { Agent, type ClientRequestArgs } from 'node:http';
import type { Duplex } from 'node:stream';
import { inspect } from 'node:util';
import Docker from 'dockerode';
import { type SshConnectionPool, sshPool } from './connection-pool.js';
import { DEFAULT_DOCKER_SOCKET, type HostServer, serverKey } from './server.js';

/** http.Agent whose "connections" are streams to the server's Docker socket over SSH. */
export class SshDockerAgent extends Agent {
  constructor(
    readonly server: HostServer,
    readonly pool: SshConnectionPool = sshPool,
    readonly socketPath: string = server.dockerSocketPath ?? DEFAULT_DOCKER_SOCKET,
  ) {
    // No keep-alive: a stream per request, closed with its response (cheap on an open connection).
    super({ keepAlive: false });
  }

  /**
   * docker-modem formats every request's options (this agent included) with a deep
   * `util.inspect` for its debug log, even when that log is off. Walking the SSH pool and
   * ssh2's client behind this agent blocked the event loop for seconds per Docker call (found by
   * the benchmark), and would have printed the server's private key. A name is enough.
   */
  [inspect.custom](): string {
    return `SshDockerAgent(${serverKey(this.server)})`;
  }

  override createConnection(
    _options: ClientRequestArgs,
    callback?: (err: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    this.pool.forwardToSocket(this.server, this.socketPath).then(
      (stream) => callback?.(null, asSocket(stream)),
      (err: Error) => callback?.(err, undefined as unknown as Duplex),
    );
    // Returning nothing tells http.Agent the stream comes through the callback.
    return undefined;
  }
}

/** http's client calls a few net.Socket methods; an SSH channel has no TCP options to set. */
export function asSocket(stream: Duplex): Duplex {
  const socket = stream as Duplex & Record<string, unknown>;
  const noop = () => socket;
  for (const method of ['setKeepAlive', 'setNoDelay', 'setTimeout', 'ref', 'unref']) {
    if (typeof socket[method] !== 'function') socket[method] = noop;
  }
  socket.destroySoon ??= () => stream.end();
  return stream;
}

const clients = new WeakMap<SshConnectionPool, Map<string, Docker>>();

/**
 * The dockerode client of a server (one per server per pool). It has no socketPath or host of
 * its own: every request goes through SshDockerAgent. JSON calls, streams (build output, logs)
 * and hijacked attach all work.
 */
export function dockerFor(server: HostServer, { pool = sshPool }: { pool?: SshConnectionPool } = {}): Docker {
  let byServer = clients.get(pool);
  if (byServer === undefined) {
    byServer = new Map();
    clients.set(pool, byServer);
  }
  const key = `${serverKey(server)}:${server.dockerSocketPath ?? DEFAULT_DOCKER_SOCKET}`;
  let docker = byServer.get(key);
  if (docker === undefined) {
    docker = new Docker({
      // Explicit undefineds override DOCKER_HOST / DOCKER_CERT_PATH defaults from the environment.
      socketPath: undefined,
      host: undefined,
      port: undefined,
      protocol: 'http',
      ca: undefined,
      cert: undefined,
      key: undefined,
      agent: new SshDockerAgent(server, pool),
    } as Docker.DockerOptions);
    byServer.set(key, docker);
  }
  return docker;
}
