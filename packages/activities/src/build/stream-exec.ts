// A command on a server whose stdout is handed over as a stream instead of being collected
// (host/exec.ts keeps output in memory): a build context is piped from `tar -c` on the server
// straight into the Docker API, never held whole in the worker's memory.
import type { Readable } from 'node:stream';
import type { ClientChannel } from 'ssh2';
import { type SshConnectionPool, sshPool } from '../host/connection-pool.js';
import { HostConnectionError } from '../host/errors.js';
import { type HostServer, serverLabel } from '../host/server.js';
import { shellQuote } from '../host/shell-quote.js';

export interface CommandExit {
  /** null when the command did not exit by itself (killed, or the channel was closed). */
  exitCode: number | null;
  signal: string | null;
  /** The last 16 KiB of stderr. */
  stderr: string;
}

export interface StreamedCommand {
  /** The command's stdout; read it (or pipe it) to completion, or call stop(). */
  stdout: Readable;
  /** Settles once the command is over and its session slot is free again. */
  exited: Promise<CommandExit>;
  /** Close the channel: the command loses its stdout (SIGPIPE) and the session slot is freed. */
  stop(): void;
}

const STDERR_KEEP = 16 * 1024;

/**
 * Start argv on the server (quoted once by shellQuote) and resolve as soon as it runs. It holds
 * one of the connection's session slots until it exits or stop() is called: always do one.
 */
export function streamCommand(
  server: HostServer,
  argv: readonly string[],
  { pool = sshPool, signal }: { pool?: SshConnectionPool; signal?: AbortSignal } = {},
): Promise<StreamedCommand> {
  const command = shellQuote(argv);
  const label = serverLabel(server);
  signal?.throwIfAborted();
  return new Promise<StreamedCommand>((started, failedToStart) => {
    const exited = pool.withSession(
      server,
      (client) =>
        new Promise<CommandExit>((resolve, reject) => {
          client.exec(command, (err, channel: ClientChannel) => {
            if (err) {
              reject(
                new HostConnectionError(`cannot start a command on ${label}: ${err.message}`, label, {
                  cause: err,
                }),
              );
              return;
            }
            let stderr = '';
            let exitCode: number | null = null;
            let exitSignal: string | null = null;
            const stop = () => channel.close();
            const onAbort = () => stop();
            signal?.addEventListener('abort', onAbort, { once: true });
            channel.stderr.on('data', (chunk: Buffer) => {
              stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEEP);
            });
            channel.on('exit', (code: number | null, name?: string) => {
              exitCode = code;
              exitSignal = code === null ? (name ?? null) : null;
            });
            channel.on('close', () => {
              signal?.removeEventListener('abort', onAbort);
              resolve({ exitCode, signal: exitSignal, stderr });
            });
            channel.end(); // nothing to send: close stdin
            started({ stdout: channel, exited, stop });
          });
        }),
    );
    // A failure before the command ran (no connection) rejects the start; afterwards it is moot.
    exited.catch(failedToStart);
  });
}
