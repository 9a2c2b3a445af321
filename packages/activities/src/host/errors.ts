// Typed errors of the host layer. Messages name the server and the command, never a key, and
// argv is redacted of URL credentials and *PASSWORD=/TOKEN=/SECRET= values before it is kept.
import { shellQuote } from './shell-quote.js';

/** Base class: something went wrong talking to a server. */
export class HostError extends Error {
  constructor(
    message: string,
    /** serverLabel() of the server. */
    readonly server: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Could not connect, authenticate, or open a channel. Usually transient: retry. */
export class HostConnectionError extends HostError {
  override readonly name: string = 'HostConnectionError';
}

/** The server presented a host key other than the pinned one. Not transient: do not retry. */
export class HostKeyMismatchError extends HostConnectionError {
  override readonly name = 'HostKeyMismatchError';
}

/** Why a command did not succeed. */
export type CommandFailure = 'exit' | 'signal' | 'timeout' | 'aborted' | 'disconnected' | 'output-limit';

const STDERR_TAIL_CHARS = 2000;

/** A command ran but did not succeed (non-zero exit, killed, timed out, cancelled, cut off). */
export class HostCommandError extends HostError {
  override readonly name = 'HostCommandError';
  /** The argv that ran, redacted. */
  readonly argv: string[];
  /** The last part of stderr (what usually explains the failure). */
  readonly stderrTail: string;

  constructor(
    server: string,
    argv: readonly string[],
    readonly reason: CommandFailure,
    readonly exitCode: number | null,
    readonly signal: string | null,
    stderr: string,
    options?: { cause?: unknown },
  ) {
    const redacted = redactArgv(argv);
    const tail = stderr.length > STDERR_TAIL_CHARS ? `...${stderr.slice(-STDERR_TAIL_CHARS)}` : stderr;
    const what =
      reason === 'exit'
        ? `exited with code ${exitCode}`
        : reason === 'signal'
          ? `was killed by signal ${signal}`
          : reason === 'timeout'
            ? 'timed out'
            : reason === 'aborted'
              ? 'was cancelled'
              : reason === 'output-limit'
                ? 'produced more output than allowed'
                : 'lost its connection before exiting';
    super(
      `command on ${server} ${what}: ${shellQuote(redacted)}${tail.trim() === '' ? '' : `\n${tail.trimEnd()}`}`,
      server,
      options,
    );
    this.argv = redacted;
    this.stderrTail = tail;
  }
}

/** Hide credentials that might sit in argv (URL user:password@, NAME_PASSWORD=value). */
export function redactArgv(argv: readonly string[]): string[] {
  return argv.map((arg) =>
    arg
      .replace(/(\/\/)[^/@\s]+@/g, '$1***@')
      .replace(/^([A-Za-z_]*(?:PASSWORD|PASSWD|TOKEN|SECRET)[A-Za-z_]*=).*$/is, '$1***'),
  );
}
