// HTTP to a port on the server's own loopback, carried by the server's pooled SSH connection
// (a direct-tcpip channel per request). Odoo and nginx listen on 127.0.0.1 of the server only,
// so this is how the worker checks /web/health and the proxy without opening any port.

import { Agent, type ClientRequestArgs, type IncomingHttpHeaders, request } from 'node:http';
import type { Duplex } from 'node:stream';
import { inspect } from 'node:util';
import { type SshConnectionPool, sshPool } from '../host/connection-pool.js';
import { asSocket } from '../host/docker.js';
import { HostConnectionError } from '../host/errors.js';
import { type HostServer, serverKey, serverLabel } from '../host/server.js';

const LOOPBACK = '127.0.0.1';

/** http.Agent whose connections are SSH channels to <host>:<port> as seen from the server. */
export class ServerLoopbackAgent extends Agent {
  constructor(
    readonly server: HostServer,
    readonly pool: SshConnectionPool = sshPool,
  ) {
    // A channel per request: they are cheap on an open connection and never go stale.
    super({ keepAlive: false });
  }

  /** Never walked by util.inspect: it holds the SSH pool and the server's key (see SshDockerAgent). */
  [inspect.custom](): string {
    return 'ServerLoopbackAgent';
  }

  override createConnection(
    options: ClientRequestArgs,
    callback?: (err: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    const host = options.host ?? options.hostname ?? LOOPBACK;
    const port = Number(options.port ?? 80);
    const label = serverLabel(this.server);
    this.pool.acquire(this.server).then(
      (client) =>
        client.forwardOut(LOOPBACK, 0, host, port, (err, channel) => {
          if (err) {
            // "(SSH) Channel open failure: Connection refused": nothing listens there (yet).
            const reason = (err as Error & { reason?: unknown }).reason;
            const error = new LoopbackConnectError(
              `cannot reach ${host}:${port} on ${label}: ${err.message}`,
              label,
              reason === 2 || /refused/i.test(err.message) ? 'connection refused' : err.message,
              { cause: err },
            );
            callback?.(error, undefined as unknown as Duplex);
          } else callback?.(null, asSocket(channel));
        }),
      (err: Error) => callback?.(err, undefined as unknown as Duplex),
    );
    // Nothing returned: http.Agent takes the connection from the callback.
    return undefined;
  }
}

/** The server could not open a connection to the loopback port (nothing listening, usually). */
export class LoopbackConnectError extends HostConnectionError {
  override readonly name = 'LoopbackConnectError';
  constructor(
    message: string,
    server: string,
    /** Short reason for health reports: "connection refused" or ssh2's message. */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(message, server, options);
  }
}

const agents = new WeakMap<SshConnectionPool, Map<string, ServerLoopbackAgent>>();

/** The loopback agent of a server (one per server per pool). */
export function loopbackAgentFor(server: HostServer, pool: SshConnectionPool = sshPool): ServerLoopbackAgent {
  let byServer = agents.get(pool);
  if (byServer === undefined) {
    byServer = new Map();
    agents.set(pool, byServer);
  }
  const key = serverKey(server);
  let agent = byServer.get(key);
  if (agent === undefined) {
    agent = new ServerLoopbackAgent(server, pool);
    byServer.set(key, agent);
  }
  return agent;
}

export interface LoopbackRequest {
  port: number;
  /** Path and query, starting with '/'. */
  path: string;
  /** Host header (a site's domain when asking nginx); default "127.0.0.1:<port>". */
  host?: string;
  /** Loopback address to connect to on the server; default 127.0.0.1. */
  address?: string;
  /** Give up after this long (default 10 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface LoopbackResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body as text, cut at 1 MiB. */
  body: string;
}

const MAX_BODY_BYTES = 1024 * 1024;

/** GET http://<address>:<port><path> as seen from the server, through its SSH connection. */
export function httpGetViaServer(
  server: HostServer,
  input: LoopbackRequest,
  { pool = sshPool }: { pool?: SshConnectionPool } = {},
): Promise<LoopbackResponse> {
  const { port, path } = input;
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new TypeError(`port must be 1-65535: ${port}`);
  if (typeof path !== 'string' || !path.startsWith('/'))
    throw new TypeError(`path must start with '/': ${path}`);
  const address = input.address ?? LOOPBACK;
  const timeoutMs = input.timeoutMs ?? 10_000;
  return new Promise<LoopbackResponse>((resolve, reject) => {
    const req = request(
      {
        host: address,
        port,
        path,
        method: 'GET',
        agent: loopbackAgentFor(server, pool),
        headers: { host: input.host ?? `${address}:${port}`, connection: 'close' },
        ...(input.signal === undefined ? {} : { signal: input.signal }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          if (bytes < MAX_BODY_BYTES) chunks.push(chunk.subarray(0, MAX_BODY_BYTES - bytes));
          bytes += chunk.length;
        });
        res.on('error', reject);
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.setTimeout(timeoutMs, () =>
      req.destroy(
        new LoopbackConnectError(
          `no answer from ${address}:${port}${path} on ${serverLabel(server)} within ${timeoutMs} ms`,
          serverLabel(server),
          `no answer within ${timeoutMs} ms`,
        ),
      ),
    );
    req.on('error', reject);
    req.end();
  });
}
