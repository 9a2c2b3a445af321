// Files on a server over SFTP on the pooled SSH connection. Writes are atomic: the data goes
// to a temporary file beside the target, is flushed, gets its mode, then replaces the target
// with a POSIX rename, so readers (nginx, Odoo) never see a half-written file.
import { randomBytes } from 'node:crypto';
import { rename as renameLocal, rm as rmLocal } from 'node:fs/promises';
import { basename, dirname, posix } from 'node:path';
import type { SFTPWrapper } from 'ssh2';
import { type SshConnectionPool, sshPool } from './connection-pool.js';
import { HostConnectionError, HostError } from './errors.js';
import { type HostServer, serverLabel } from './server.js';

export interface SftpOptions {
  pool?: SshConnectionPool;
}

export interface WriteOptions extends SftpOptions {
  /** File mode, default 0o644. Use 0o600 for anything secret (env files, passfiles, keys). */
  mode?: number;
}

/** An SFTP operation failed (missing file, permission denied...). `code` is the SFTP status. */
export class HostFileError extends HostError {
  override readonly name = 'HostFileError';
  constructor(
    server: string,
    readonly path: string,
    readonly code: number | undefined,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${message} ${path} on ${server}`, server, options);
  }
}

// SFTP status codes (draft-ietf-secsh-filexfer-02).
const NO_SUCH_FILE = 2;

/** Run `use` with an SFTP session (closed afterwards) holding one session slot. */
export function withSftp<T>(
  server: HostServer,
  use: (sftp: SFTPWrapper) => Promise<T>,
  options: SftpOptions = {},
) {
  const pool = options.pool ?? sshPool;
  const label = serverLabel(server);
  return pool.withSession(server, async (client) => {
    const sftp = await new Promise<SFTPWrapper>((resolve, reject) => {
      client.sftp((err, s) => {
        if (err)
          reject(
            new HostConnectionError(`cannot start SFTP on ${label}: ${err.message}`, label, { cause: err }),
          );
        else resolve(s);
      });
    });
    try {
      return await use(sftp);
    } finally {
      sftp.end();
    }
  });
}

/** Wrap ssh2's callback APIs, turning failures into HostFileError for `path`. */
function call<T>(
  server: HostServer,
  path: string,
  what: string,
  fn: (cb: (err?: Error | null, value?: T) => void) => void,
) {
  return new Promise<T>((resolve, reject) => {
    fn((err, value) => {
      if (err) {
        const code = (err as Error & { code?: unknown }).code;
        reject(
          new HostFileError(
            serverLabel(server),
            path,
            typeof code === 'number' ? code : undefined,
            `cannot ${what}`,
            {
              cause: err,
            },
          ),
        );
      } else resolve(value as T);
    });
  });
}

function remotePath(path: string): string {
  if (typeof path !== 'string' || !path.startsWith('/') || /[\0\n\r]/.test(path)) {
    throw new TypeError(`remote paths must be absolute, without NUL or newlines: ${JSON.stringify(path)}`);
  }
  return posix.normalize(path);
}

function tempPathFor(path: string): string {
  return posix.join(posix.dirname(path), `.${posix.basename(path)}.cw-tmp-${randomBytes(6).toString('hex')}`);
}

/** Write `data` to `path` atomically with `mode`. The parent directory must exist. */
export async function writeFile(
  server: HostServer,
  path: string,
  data: string | Buffer,
  options: WriteOptions = {},
): Promise<void> {
  const target = remotePath(path);
  const mode = options.mode ?? 0o644;
  const buffer = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  await withSftp(
    server,
    async (sftp) => {
      const temp = tempPathFor(target);
      try {
        // Created with the final mode so a secret is never readable by others, even briefly.
        const handle = await call<Buffer>(server, temp, 'create', (cb) => sftp.open(temp, 'w', { mode }, cb));
        try {
          let offset = 0;
          while (offset < buffer.length) {
            const length = Math.min(32 * 1024, buffer.length - offset);
            await call(server, temp, 'write', (cb) => sftp.write(handle, buffer, offset, length, offset, cb));
            offset += length;
          }
          await call(server, temp, 'set the mode of', (cb) => sftp.fchmod(handle, mode, cb)); // umask-proof
          await call(server, temp, 'flush', (cb) => sftp.ext_openssh_fsync(handle, cb));
        } finally {
          await call(server, temp, 'close', (cb) => sftp.close(handle, cb));
        }
        await call(server, target, 'replace', (cb) => sftp.ext_openssh_rename(temp, target, cb));
      } catch (err) {
        await call(server, temp, 'remove', (cb) => sftp.unlink(temp, cb)).catch(() => {});
        throw err;
      }
    },
    options,
  );
}

/** Upload a local file to `path` atomically with `mode`. */
export async function uploadFile(
  server: HostServer,
  localPath: string,
  path: string,
  options: WriteOptions = {},
): Promise<void> {
  const target = remotePath(path);
  const mode = options.mode ?? 0o644;
  await withSftp(
    server,
    async (sftp) => {
      const temp = tempPathFor(target);
      try {
        await call(server, temp, 'upload', (cb) => sftp.fastPut(localPath, temp, { mode }, cb));
        await call(server, temp, 'set the mode of', (cb) => sftp.chmod(temp, mode, cb));
        await call(server, target, 'replace', (cb) => sftp.ext_openssh_rename(temp, target, cb));
      } catch (err) {
        await call(server, temp, 'remove', (cb) => sftp.unlink(temp, cb)).catch(() => {});
        throw err;
      }
    },
    options,
  );
}

/** Download `path` to a local file, atomically on the local side too. */
export async function downloadFile(
  server: HostServer,
  path: string,
  localPath: string,
  options: SftpOptions = {},
): Promise<void> {
  const source = remotePath(path);
  const temp = `${dirname(localPath)}/.${basename(localPath)}.cw-tmp-${randomBytes(6).toString('hex')}`;
  try {
    await withSftp(
      server,
      (sftp) => call(server, source, 'download', (cb) => sftp.fastGet(source, temp, cb)),
      options,
    );
    await renameLocal(temp, localPath);
  } catch (err) {
    await rmLocal(temp, { force: true });
    throw err;
  }
}

export function readFile(server: HostServer, path: string, options: SftpOptions = {}): Promise<Buffer> {
  const source = remotePath(path);
  return withSftp(
    server,
    (sftp) => call<Buffer>(server, source, 'read', (cb) => sftp.readFile(source, cb)),
    options,
  );
}

/** True when `path` exists (file, directory or other). */
export function exists(server: HostServer, path: string, options: SftpOptions = {}): Promise<boolean> {
  const target = remotePath(path);
  return withSftp(
    server,
    (sftp) =>
      call(server, target, 'stat', (cb) => sftp.stat(target, cb)).then(
        () => true,
        (err: HostFileError) => {
          if (err.code === NO_SUCH_FILE) return false;
          throw err;
        },
      ),
    options,
  );
}

/** Remove a file; a missing file is not an error (ensure semantics). */
export function removeFile(server: HostServer, path: string, options: SftpOptions = {}): Promise<void> {
  const target = remotePath(path);
  return withSftp(
    server,
    (sftp) =>
      call(server, target, 'remove', (cb) => sftp.unlink(target, cb)).then(
        () => undefined,
        (err: HostFileError) => {
          if (err.code !== NO_SUCH_FILE) throw err;
        },
      ),
    options,
  );
}

/** `mkdir -p`: create `path` and missing parents (new ones get `mode`, default 0o755). */
export async function mkdirp(
  server: HostServer,
  path: string,
  options: SftpOptions & { mode?: number } = {},
): Promise<void> {
  const target = remotePath(path);
  const mode = options.mode ?? 0o755;
  await withSftp(
    server,
    async (sftp) => {
      const parts = target.split('/').filter((p) => p !== '');
      for (let i = 1; i <= parts.length; i++) {
        const dir = `/${parts.slice(0, i).join('/')}`;
        const isDir = await call<{ isDirectory(): boolean }>(server, dir, 'stat', (cb) =>
          sftp.stat(dir, cb),
        ).then(
          (stats) => stats.isDirectory(),
          (err: HostFileError) => {
            if (err.code === NO_SUCH_FILE) return undefined;
            throw err;
          },
        );
        if (isDir === false) throw new HostFileError(serverLabel(server), dir, undefined, 'not a directory:');
        if (isDir === undefined) {
          await call(server, dir, 'create the directory', (cb) => sftp.mkdir(dir, { mode }, cb)).catch(
            async (err) => {
              // Someone else may have created it meanwhile: fine if it is a directory now.
              const now = await call<{ isDirectory(): boolean }>(server, dir, 'stat', (cb) =>
                sftp.stat(dir, cb),
              ).catch(() => undefined);
              if (!now?.isDirectory()) throw err;
            },
          );
        }
      }
    },
    options,
  );
}
