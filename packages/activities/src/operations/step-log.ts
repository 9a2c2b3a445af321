import { ApplicationFailure, Context } from '@temporalio/activity';

/** Lines a step keeps for its run's history: the head and the tail, with a marker between. */
export const LOG_HEAD_LINES = 40;
export const LOG_TAIL_LINES = 160;

/** How often a running step heartbeats (the workflows' heartbeat timeout is a few times this). */
export const HEARTBEAT_EVERY_MS = 5_000;

/** The marker that replaces the lines cut from the middle of a long log. */
export const cutMarker = (count: number) =>
  `[... ${count} lines cut here; the full log is on the server ...]`;

/**
 * Output of one step (build, module update, health wait), bounded so the run's history stays
 * small, and echoed as the activity's heartbeat so a watcher sees progress live.
 */
export class StepLog {
  private readonly head: string[] = [];
  private tail: string[] = [];
  private cut = 0;
  private last = '';

  constructor(private readonly heartbeat: (line: string) => void = heartbeatLine) {}

  /**
   * Heartbeats every few seconds while `work` runs, also when the step prints nothing for a
   * while (a quiet build layer, a long `odoo -u`): a dead worker is then noticed within the
   * heartbeat timeout, and a live one never is mistaken for dead.
   */
  async during<T>(work: () => Promise<T>, everyMs = HEARTBEAT_EVERY_MS): Promise<T> {
    const ticker = setInterval(() => this.heartbeat(this.last), everyMs);
    try {
      return await work();
    } finally {
      clearInterval(ticker);
    }
  }

  readonly add = (line: string): void => {
    this.last = line;
    if (this.head.length < LOG_HEAD_LINES) this.head.push(line);
    else {
      this.tail.push(line);
      if (this.tail.length > LOG_TAIL_LINES) {
        this.tail = this.tail.slice(-LOG_TAIL_LINES);
        this.cut++;
      }
    }
    this.heartbeat(line);
  };

  lines(): string[] {
    return this.cut > 0 ? [...this.head, cutMarker(this.cut), ...this.tail] : [...this.head, ...this.tail];
  }
}

function heartbeatLine(line: string): void {
  try {
    Context.current().heartbeat({ line });
  } catch {
    // Outside an activity (unit tests): nothing to heartbeat.
  }
}

/** Host-layer errors that a retry cannot fix: the input, the app or its release must change. */
const USER_ERRORS = new Set([
  'CommandInputError',
  'UnhealthyReleaseError',
  'ProxyConfigError',
  'OdooRunError',
  'ReleaseContainerNotFoundError',
]);

/** Errors whose retry cannot help: bad input, wrong state, a failing build or module update. */
export function isUserError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if ((error as { userError?: unknown }).userError === true) return true;
  const code = (error as { code?: unknown }).code;
  if (
    typeof code === 'string' &&
    ['validation_failed', 'not_found', 'wrong_state', 'conflict', 'forbidden'].includes(code)
  ) {
    return true;
  }
  return USER_ERRORS.has(error.name);
}

/** Turns a user error into a non-retryable failure carrying the step's log. */
export function asFailure(error: unknown, log?: StepLog): unknown {
  if (error instanceof ApplicationFailure) return error;
  const details = log ? [{ log: log.lines() }] : [];
  if (isUserError(error)) {
    const e = error as Error;
    return ApplicationFailure.create({
      message: e.message,
      type: e.name,
      nonRetryable: true,
      details,
      cause: e,
    });
  }
  if (log && error instanceof Error) {
    return ApplicationFailure.create({
      message: error.message,
      type: error.name,
      nonRetryable: false,
      details,
      cause: error,
    });
  }
  return error;
}

/** Odoo exited non-zero in a one-off run (install, update): a user error, with its output. */
export class OdooRunError extends Error {
  override readonly name = 'OdooRunError';
  readonly userError = true;
}
