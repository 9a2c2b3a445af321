// One SSH connection per server per process, shared by commands, SFTP and the Docker API.
// Connected on first use, dropped when it closes or fails (the next use reconnects), and
// closed by closeAll() when the worker shuts down.
import { Client, type ClientChannel, type ConnectConfig } from 'ssh2';
import { HostConnectionError, HostKeyMismatchError } from './errors.js';
import { type HostServer, serverKey, serverLabel } from './server.js';

export interface ConnectionPoolOptions {
  /** How long to wait for a connection to become ready. Default 20 s. */
  readyTimeoutMs?: number;
  /** SSH keepalive interval; a dead connection is noticed after 3 missed replies. Default 15 s. */
  keepaliveIntervalMs?: number;
  /**
   * Session channels (exec, SFTP) open at once per connection; more wait their turn. OpenSSH
   * refuses more than MaxSessions (default 10). Docker API streams are not sessions.
   */
  maxSessions?: number;
}

/** Counters of a server's connection, for tests and diagnostics. */
export interface ConnectionStats {
  /** Connections opened to this server by this pool (1 when reused as intended). */
  connects: number;
  connected: boolean;
  /** Session channels opened (commands, SFTP). */
  sessionsOpened: number;
  /** Streams forwarded to a Unix socket on the server (Docker API requests), in total. */
  forwardedStreams: number;
  /** Of those, still open (each request's stream closes with its response). */
  openForwardedStreams: number;
}

interface Entry {
  client: Client;
  ready: Promise<Client>;
  closed: boolean;
  sessions: Semaphore;
}

export class SshConnectionPool {
  readonly #entries = new Map<string, Entry>();
  readonly #stats = new Map<string, ConnectionStats>();
  readonly #options: Required<ConnectionPoolOptions>;

  constructor(options: ConnectionPoolOptions = {}) {
    this.#options = {
      readyTimeoutMs: options.readyTimeoutMs ?? 20_000,
      keepaliveIntervalMs: options.keepaliveIntervalMs ?? 15_000,
      maxSessions: options.maxSessions ?? 8,
    };
  }

  /** The server's ready connection, connecting (once, shared by concurrent callers) if needed. */
  acquire(server: HostServer): Promise<Client> {
    return this.#entry(server).ready;
  }

  /**
   * Run `use` while holding one of the connection's session slots, so concurrent commands
   * queue instead of being refused by the server.
   */
  async withSession<T>(
    server: HostServer,
    use: (client: Client) => Promise<T>,
    { reserved = false }: { reserved?: boolean } = {},
  ): Promise<T> {
    const entry = this.#entry(server);
    const client = await entry.ready;
    // `reserved`: short housekeeping (stopping a command) uses the headroom left below MaxSessions.
    const release = reserved ? () => {} : await entry.sessions.acquire();
    try {
      this.#statsOf(server).sessionsOpened++;
      return await use(client);
    } finally {
      release();
    }
  }

  /** A stream to a Unix socket on the server (OpenSSH streamlocal forwarding). */
  async forwardToSocket(server: HostServer, socketPath: string): Promise<ClientChannel> {
    const client = await this.acquire(server);
    return new Promise((resolve, reject) => {
      client.openssh_forwardOutStreamLocal(socketPath, (err, stream) => {
        if (err) {
          reject(
            new HostConnectionError(
              `cannot open ${socketPath} on ${serverLabel(server)}: ${err.message}`,
              serverLabel(server),
              { cause: err },
            ),
          );
          return;
        }
        const stats = this.#statsOf(server);
        stats.forwardedStreams++;
        stats.openForwardedStreams++;
        stream.once('close', () => stats.openForwardedStreams--);
        resolve(stream);
      });
    });
  }

  stats(server: HostServer): ConnectionStats {
    const entry = this.#entries.get(serverKey(server));
    return { ...this.#statsOf(server), connected: entry !== undefined && !entry.closed };
  }

  /** Close every connection (waits until each is closed). Later use reconnects. */
  async closeAll(): Promise<void> {
    const entries = [...this.#entries.values()];
    this.#entries.clear();
    await Promise.all(entries.map((entry) => closeClient(entry)));
  }

  #statsOf(server: HostServer): ConnectionStats {
    const key = serverKey(server);
    let stats = this.#stats.get(key);
    if (stats === undefined) {
      stats = {
        connects: 0,
        connected: false,
        sessionsOpened: 0,
        forwardedStreams: 0,
        openForwardedStreams: 0,
      };
      this.#stats.set(key, stats);
    }
    return stats;
  }

  #entry(server: HostServer): Entry {
    const key = serverKey(server);
    const existing = this.#entries.get(key);
    if (existing !== undefined && !existing.closed) return existing;
    const entry = this.#connect(server);
    this.#entries.set(key, entry);
    return entry;
  }

  #connect(server: HostServer): Entry {
    const label = serverLabel(server);
    const key = serverKey(server);
    const client = new Client();
    let hostKeyRefused = false;
    const entry: Entry = {
      client,
      closed: false,
      sessions: new Semaphore(this.#options.maxSessions),
      ready: Promise.resolve(client), // replaced below
    };
    const forget = () => {
      entry.closed = true;
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
    };
    // After 'ready', errors arrive here too; a listener must exist or the process would crash.
    client.on('error', forget);
    client.on('end', forget);
    client.on('close', forget);

    entry.ready = new Promise<Client>((resolve, reject) => {
      const onClose = () => {
        // Closed during the handshake without an 'error' (e.g. the server hung up).
        client.off('ready', onReady);
        client.off('error', onError);
        reject(new HostConnectionError(`connection to ${label} closed before it was ready`, label));
      };
      const onError = (err: Error) => {
        client.off('ready', onReady);
        client.off('close', onClose);
        reject(
          hostKeyRefused
            ? new HostKeyMismatchError(`host key of ${label} does not match the pinned key`, label, {
                cause: err,
              })
            : new HostConnectionError(`cannot connect to ${label}: ${err.message}`, label, { cause: err }),
        );
      };
      const onReady = () => {
        client.off('error', onError);
        client.off('close', onClose);
        resolve(client);
      };
      client.once('error', onError);
      client.once('close', onClose);
      client.once('ready', onReady);
      // Throws (rejecting `ready`) when the pinned key text is malformed.
      const pinned =
        server.hostPublicKey === undefined ? undefined : parsePinnedKeys(server.hostPublicKey, label);
      const config: ConnectConfig = {
        host: server.host,
        port: server.port ?? 22,
        username: server.username,
        privateKey: server.privateKey,
        ...(server.passphrase === undefined ? {} : { passphrase: server.passphrase }),
        readyTimeout: this.#options.readyTimeoutMs,
        keepaliveInterval: this.#options.keepaliveIntervalMs,
        keepaliveCountMax: 3,
        // Without a pinned key every host key is accepted (documented in docs/hosts.md).
        hostVerifier: (key: Buffer) => {
          if (pinned === undefined) return true;
          hostKeyRefused = !pinned.some((blob) => blob.equals(key));
          return !hostKeyRefused;
        },
      };
      this.#statsOf(server).connects++;
      try {
        client.connect(config);
      } catch (err) {
        // ssh2 throws synchronously on bad config (e.g. an unparsable private key).
        forget();
        reject(
          new HostConnectionError(`cannot connect to ${label}: ${(err as Error).message}`, label, {
            cause: err,
          }),
        );
      }
    });
    // Concurrent callers share `ready`; a failed connect must not be an unhandled rejection.
    entry.ready.catch(forget);
    return entry;
  }
}

/** Key blobs of "type base64 [comment]" lines (known_hosts-style markers/host fields allowed). */
function parsePinnedKeys(text: string, label: string): Buffer[] {
  const blobs = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const fields = line.split(/\s+/);
      const at = fields.findIndex((f) => /^(?:ssh-|ecdsa-|sk-)/.test(f));
      const blob = at >= 0 ? fields[at + 1] : undefined;
      return blob === undefined ? undefined : Buffer.from(blob, 'base64');
    });
  if (blobs.length === 0 || blobs.some((b) => b === undefined || b.length === 0)) {
    throw new HostConnectionError(`hostPublicKey of ${label} is not an OpenSSH public key line`, label);
  }
  return blobs as Buffer[];
}

function closeClient(entry: Entry): Promise<void> {
  return new Promise((resolve) => {
    if (entry.closed) {
      resolve();
      return;
    }
    entry.client.once('close', () => resolve());
    entry.client.end();
    // A connection still handshaking or already dead may never emit 'close'.
    setTimeout(() => {
      entry.client.destroy();
      resolve();
    }, 2000).unref();
  });
}

/** Counting semaphore with FIFO waiters. */
class Semaphore {
  #free: number;
  readonly #waiting: (() => void)[] = [];
  constructor(size: number) {
    this.#free = size;
  }
  async acquire(): Promise<() => void> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free++;
    };
  }
}

/** The process-wide pool that the host functions use unless given another. */
export const sshPool = new SshConnectionPool();

/** Close the process-wide pool's connections (worker shutdown). */
export function closeAll(): Promise<void> {
  return sshPool.closeAll();
}
