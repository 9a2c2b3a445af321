// A server as the host layer sees it: how to reach it over SSH and where its Docker socket is.
// Structurally compatible with the testing stack's `SshHost` and the platform's server records.

export interface HostServer {
  /** Display name for errors and logs ("server-1"). */
  name?: string;
  host: string;
  /** Default 22. */
  port?: number;
  username: string;
  /** Private key text (OpenSSH or PEM). Never logged. */
  privateKey: string | Buffer;
  passphrase?: string;
  /**
   * The host key(s) to pin, as OpenSSH public key lines ("ssh-ed25519 AAAA... comment"), one per
   * line. When given, any other host key is refused. When absent, any host key is accepted
   * (trust on every use): give it for production servers.
   */
  hostPublicKey?: string;
  /** Docker Engine socket on the server. Default /var/run/docker.sock. */
  dockerSocketPath?: string;
}

export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

/** Pool key: one connection per (host, port, user) per process. */
export function serverKey(server: HostServer): string {
  return `${server.host}:${server.port ?? 22}:${server.username}`;
}

/** "server-1 (root@127.0.0.1:12222)": for messages; never includes key material. */
export function serverLabel(server: HostServer): string {
  const address = `${server.username}@${server.host}:${server.port ?? 22}`;
  return server.name === undefined ? address : `${server.name} (${address})`;
}
