// Reads the Docker build API's progress events (`{stream}`, `{status}`, `{errorDetail}`) as
// output lines: each complete line goes to the caller as it arrives, the last ones are kept for
// the error, and the build's own error message is remembered.
import { BUILD_ERROR_LINES } from './errors.js';

export interface BuildEvent {
  stream?: string;
  status?: string;
  id?: string;
  progress?: string;
  error?: string;
  errorDetail?: { message?: string; code?: number };
  aux?: unknown;
}

export class BuildLog {
  readonly #tail: string[] = [];
  #partial = '';
  #error: string | undefined;

  constructor(private readonly onLine: (line: string) => void = () => {}) {}

  /** Docker's error message, when the build (or pull) failed. */
  get error(): string | undefined {
    return this.#error;
  }

  /** The last output lines (at most BUILD_ERROR_LINES). */
  get lines(): string[] {
    return [...this.#tail];
  }

  push(event: BuildEvent): void {
    if (typeof event.stream === 'string') this.#text(event.stream);
    // Pull/download status; progress bars (those with `progress`) are noise in a log.
    else if (typeof event.status === 'string' && event.progress === undefined) {
      this.#flushPartial();
      this.#line(event.id === undefined ? event.status : `${event.id}: ${event.status}`);
    }
    const error = event.errorDetail?.message ?? event.error;
    if (typeof error === 'string' && this.#error === undefined) {
      this.#flushPartial();
      this.#error = error.trim();
      this.#line(`ERROR: ${this.#error}`);
    }
  }

  /** Emit a last line that did not end with a newline. */
  flush(): void {
    this.#flushPartial();
  }

  #text(text: string): void {
    const parts = (this.#partial + text).split('\n');
    this.#partial = parts.pop() ?? '';
    for (const part of parts) this.#line(part);
  }

  #flushPartial(): void {
    const rest = this.#partial;
    this.#partial = '';
    if (rest !== '') this.#line(rest);
  }

  #line(raw: string): void {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    this.#tail.push(line);
    if (this.#tail.length > BUILD_ERROR_LINES) this.#tail.shift();
    this.onLine(line);
  }
}
