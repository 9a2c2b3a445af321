// Runs an argv on a server over the pooled SSH connection. The argv is quoted by shellQuote()
// (SSH exec takes a string), output is collected and optionally streamed line by line, and a
// timeout or an AbortSignal stops the command's whole process group (TERM, then KILL).
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { ClientChannel } from 'ssh2';
import { type SshConnectionPool, sshPool } from './connection-pool.js';
import { type CommandFailure, HostCommandError, HostConnectionError } from './errors.js';
import type { HostServer } from './server.js';
import { serverLabel } from './server.js';
import { shellQuote } from './shell-quote.js';

export type OutputStream = 'stdout' | 'stderr';

export interface RunOptions {
  /** Written to the command's stdin, which is then closed (closed at once when absent). */
  stdin?: string | Buffer | Readable;
  /** Each complete output line (without its newline), as it arrives: build logs, progress. */
  onOutput?: (line: string, stream: OutputStream) => void;
  /** Stop the command after this long (it then fails with reason 'timeout'). */
  timeoutMs?: number;
  /** Stop the command when aborted (it then fails with reason 'aborted'). */
  signal?: AbortSignal;
  /** Most bytes kept per stream; beyond it the command is stopped ('output-limit'). 64 MiB. */
  maxOutputBytes?: number;
  pool?: SshConnectionPool;
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Between TERM and KILL when stopping a command. */
const KILL_GRACE_MS = 3000;

// Stopping a command: OpenSSH refuses SSH "signal" requests on root sessions (no privilege
// separation after a root login) and closing the channel does not stop a command that does
// not write. So the command runs under a fixed wrapper that first reports its process group on
// stderr (stripped from the output), then execs argv ("$@": the elements are never parsed).
// To stop it, a second command kills that group. Both are argv, quoted by shellQuote() only.
const PGID_MARK = 'cloudwady-pgid=';
const WRAPPER = `read -r _ _ _ _ g _ 2>/dev/null </proc/$$/stat || g=$$; printf '${PGID_MARK}%s\\n' "$g" >&2; exec "$@"`;
const KILL_GROUP = 'kill -s "$1" -- "-$2" 2>/dev/null || kill -s "$1" -- "$2"';

type StopSignal = 'TERM' | 'KILL';

/**
 * Run argv on the server and return its exit code and output, whatever the exit code.
 * Throws HostCommandError when it did not exit by itself (killed, timeout, aborted, cut off)
 * and HostConnectionError when it could not start.
 */
export async function run(
  server: HostServer,
  argv: readonly string[],
  options: RunOptions = {},
): Promise<RunResult> {
  if (argv.length === 0) throw new TypeError('argv must not be empty');
  const command = shellQuote(['sh', '-c', WRAPPER, 'sh', ...argv]);
  const label = serverLabel(server);
  options.signal?.throwIfAborted();
  const pool = options.pool ?? sshPool;
  const killGroup = (pgid: string, signal: StopSignal) => {
    // A reserved session: it must run even when every slot is held by commands being stopped.
    const kill = shellQuote(['sh', '-c', KILL_GROUP, 'sh', signal, pgid]);
    pool
      .withSession(server, (client) => execChannel(client, kill, label).then(drain), { reserved: true })
      .catch(() => {}); // the command may have ended meanwhile; its own close reports the outcome
  };
  return pool.withSession(server, async (client) => {
    const channel = await execChannel(client, command, label);
    return collect(channel, label, argv, options, killGroup);
  });
}

/** Like run(), but a non-zero exit code throws HostCommandError (with the stderr tail). */
export async function runChecked(
  server: HostServer,
  argv: readonly string[],
  options: RunOptions = {},
): Promise<RunResult> {
  const result = await run(server, argv, options);
  if (result.exitCode !== 0) {
    throw new HostCommandError(serverLabel(server), argv, 'exit', result.exitCode, null, result.stderr);
  }
  return result;
}

function execChannel(client: import('ssh2').Client, command: string, label: string): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    client.exec(command, (err, channel) => {
      if (err)
        reject(
          new HostConnectionError(`cannot start a command on ${label}: ${err.message}`, label, {
            cause: err,
          }),
        );
      else resolve(channel);
    });
  });
}

function drain(channel: ClientChannel): Promise<void> {
  return new Promise((resolve) => {
    channel.on('data', () => {});
    channel.stderr.on('data', () => {});
    channel.on('close', () => resolve());
    channel.end();
  });
}

function collect(
  channel: ClientChannel,
  label: string,
  argv: readonly string[],
  options: RunOptions,
  killGroup: (pgid: string, signal: StopSignal) => void,
): Promise<RunResult> {
  const maxBytes = options.maxOutputBytes ?? 64 * 1024 * 1024;

  return new Promise<RunResult>((resolve, reject) => {
    let exitCode: number | null = null;
    let exitSignal: string | null = null;
    let stopReason: CommandFailure | null = null;
    let killTimer: NodeJS.Timeout | undefined;
    let timeoutTimer: NodeJS.Timeout | undefined;
    let pgid: string | undefined;
    let pendingSignal: StopSignal | undefined;

    const signalCommand = (signal: StopSignal) => {
      sendSignal(channel, signal); // honoured by sshd for non-root logins
      if (pgid === undefined) pendingSignal = signal;
      else killGroup(pgid, signal);
    };
    const stop = (reason: CommandFailure) => {
      if (stopReason !== null) return;
      stopReason = reason;
      signalCommand('TERM');
      killTimer = setTimeout(() => {
        signalCommand('KILL');
        channel.close();
      }, KILL_GRACE_MS);
    };

    // A throwing onOutput stops the command and becomes its error (instead of crashing).
    let callbackError: unknown;
    const onOutput =
      options.onOutput &&
      ((line: string, stream: OutputStream) => {
        try {
          options.onOutput?.(line, stream);
        } catch (e) {
          callbackError ??= e;
          stop('aborted');
        }
      });
    const out = new Output('stdout', maxBytes, onOutput);
    const err = new Output('stderr', maxBytes, onOutput);

    const onAbort = () => stop('aborted');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.timeoutMs !== undefined) timeoutTimer = setTimeout(() => stop('timeout'), options.timeoutMs);

    channel.on('data', (chunk: Buffer) => {
      if (!out.push(chunk)) stop('output-limit');
    });
    let preamble: Buffer | undefined = Buffer.alloc(0);
    channel.stderr.on('data', (chunk: Buffer) => {
      if (preamble !== undefined) {
        // The wrapper's first stderr line is the process group; the rest is the command's.
        preamble = Buffer.concat([preamble, chunk]);
        const newline = preamble.indexOf(10);
        if (newline < 0) return;
        const line = preamble.subarray(0, newline).toString('latin1');
        chunk = preamble.subarray(newline + 1);
        preamble = undefined;
        if (line.startsWith(PGID_MARK) && /^\d+$/.test(line.slice(PGID_MARK.length))) {
          pgid = line.slice(PGID_MARK.length);
          if (pendingSignal !== undefined) killGroup(pgid, pendingSignal);
        }
        if (chunk.length === 0) return;
      }
      if (!err.push(chunk)) stop('output-limit');
    });
    channel.on('exit', (code: number | null, signalName?: string) => {
      exitCode = code;
      exitSignal = code === null ? (signalName ?? null) : null;
    });
    channel.on('close', () => {
      clearTimeout(killTimer);
      clearTimeout(timeoutTimer);
      options.signal?.removeEventListener('abort', onAbort);
      out.flush();
      err.flush();
      const stderr = err.text();
      if (callbackError !== undefined) {
        reject(callbackError);
      } else if (stopReason !== null) {
        const cause = stopReason === 'aborted' ? options.signal?.reason : undefined;
        reject(new HostCommandError(label, argv, stopReason, exitCode, exitSignal, stderr, { cause }));
      } else if (exitCode !== null) {
        resolve({ exitCode, stdout: out.text(), stderr });
      } else {
        const reason = exitSignal === null ? 'disconnected' : 'signal';
        reject(new HostCommandError(label, argv, reason, null, exitSignal, stderr));
      }
    });

    const input = options.stdin;
    if (input === undefined) channel.end();
    else if (typeof input === 'string' || Buffer.isBuffer(input)) channel.end(input);
    else {
      input.on('error', (e) => {
        callbackError ??= e;
        stop('aborted');
      });
      input.pipe(channel);
    }
  });
}

/**
 * ssh2 1.17's channel.signal() silently does nothing once stdin is closed (its writable side has
 * ended), which is always the case here; the SSH protocol allows the request until the channel
 * closes (mscdex/ssh2 PR #1510). So send it through the protocol object when it is there.
 */
function sendSignal(channel: ClientChannel, name: StopSignal): void {
  const internal = channel as unknown as {
    outgoing?: { id: number; state: string };
    _client?: { _protocol?: { signal?: (id: number, signal: string) => void } };
  };
  const outgoing = internal.outgoing;
  const protocol = internal._client?._protocol;
  if (outgoing !== undefined && typeof protocol?.signal === 'function') {
    if (outgoing.state === 'open' || outgoing.state === 'eof') protocol.signal(outgoing.id, name);
  } else {
    channel.signal(name);
  }
}

/** One output stream: keeps the bytes (up to a limit) and cuts lines for onOutput. */
class Output {
  readonly #chunks: Buffer[] = [];
  #bytes = 0;
  readonly #decoder = new StringDecoder('utf8');
  #partial = '';

  constructor(
    private readonly stream: OutputStream,
    private readonly maxBytes: number,
    private readonly onOutput?: (line: string, stream: OutputStream) => void,
  ) {}

  /** Returns false once over the limit. */
  push(chunk: Buffer): boolean {
    this.#bytes += chunk.length;
    if (this.#bytes > this.maxBytes) return false;
    this.#chunks.push(chunk);
    if (this.onOutput !== undefined) {
      const lines = (this.#partial + this.#decoder.write(chunk)).split('\n');
      this.#partial = lines.pop() ?? '';
      for (const line of lines) this.onOutput(line.endsWith('\r') ? line.slice(0, -1) : line, this.stream);
    }
    return true;
  }

  flush(): void {
    if (this.onOutput === undefined) return;
    const rest = this.#partial + this.#decoder.end();
    this.#partial = '';
    if (rest !== '') this.onOutput(rest, this.stream);
  }

  text(): string {
    return Buffer.concat(this.#chunks).toString('utf8');
  }
}
