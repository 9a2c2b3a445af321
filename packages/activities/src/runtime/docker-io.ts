// Small helpers around dockerode: status codes of Engine API errors, and Docker's multiplexed
// stdout/stderr framing (containers without a TTY) cut into lines.
import { StringDecoder } from 'node:string_decoder';
import type Docker from 'dockerode';
import type { OutputStream } from '../host/exec.js';

/** True when dockerode failed with one of these HTTP statuses (404 no such container, ...). */
export function hasStatus(err: unknown, ...codes: number[]): boolean {
  const status = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && codes.includes(status);
}

/** Inspect a container, or null when there is none by that name. */
export async function inspectOrNull(
  docker: Docker,
  name: string,
): Promise<Docker.ContainerInspectInfo | null> {
  try {
    return await docker.getContainer(name).inspect();
  } catch (err) {
    if (hasStatus(err, 404)) return null;
    throw err;
  }
}

/** Force-remove a container; a missing one, or one already being removed, is fine. */
export async function removeContainer(docker: Docker, name: string): Promise<boolean> {
  try {
    await docker.getContainer(name).remove({ force: true });
    return true;
  } catch (err) {
    if (hasStatus(err, 404, 409)) return false;
    throw err;
  }
}

/**
 * Splits Docker's stream framing (8-byte header: stream type, 3 zero bytes, big-endian length)
 * into complete lines per stream. Input that is not framed (a TTY container) is taken as stdout.
 */
export class DockerLineSplitter {
  #pending: Buffer = Buffer.alloc(0);
  #framed: boolean | undefined;
  readonly #decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  readonly #partial = { stdout: '', stderr: '' };

  constructor(private readonly onLine: (line: string, stream: OutputStream) => void) {}

  push(chunk: Buffer): void {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    this.#framed ??= this.#pending.length >= 4 ? looksFramed(this.#pending) : undefined;
    if (this.#framed === undefined) return;
    if (!this.#framed) {
      this.#text('stdout', this.#pending);
      this.#pending = Buffer.alloc(0);
      return;
    }
    while (this.#pending.length >= 8) {
      const size = this.#pending.readUInt32BE(4);
      if (this.#pending.length < 8 + size) break;
      const stream: OutputStream = this.#pending[0] === 2 ? 'stderr' : 'stdout';
      this.#text(stream, this.#pending.subarray(8, 8 + size));
      this.#pending = this.#pending.subarray(8 + size);
    }
  }

  /** Emit what is left (a last line without a newline). */
  end(): void {
    if (this.#pending.length > 0 && this.#framed !== true) this.#text('stdout', this.#pending);
    this.#pending = Buffer.alloc(0);
    for (const stream of ['stdout', 'stderr'] as const) {
      const rest = this.#partial[stream] + this.#decoders[stream].end();
      this.#partial[stream] = '';
      if (rest !== '') this.onLine(rest, stream);
    }
  }

  #text(stream: OutputStream, bytes: Buffer): void {
    const lines = (this.#partial[stream] + this.#decoders[stream].write(bytes)).split('\n');
    this.#partial[stream] = lines.pop() ?? '';
    for (const line of lines) this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line, stream);
  }
}

function looksFramed(buffer: Buffer): boolean {
  const type = buffer[0] ?? 255;
  return type <= 2 && buffer[1] === 0 && buffer[2] === 0 && buffer[3] === 0;
}

/** The last `tail` log lines of a container (stdout and stderr, in order); [] when it is gone. */
export async function lastLogLines(docker: Docker, name: string, tail = 50): Promise<string[]> {
  let raw: Buffer;
  try {
    raw = await docker.getContainer(name).logs({ stdout: true, stderr: true, tail, follow: false });
  } catch (err) {
    if (hasStatus(err, 404)) return [];
    throw err;
  }
  const lines: string[] = [];
  const splitter = new DockerLineSplitter((line) => lines.push(line));
  splitter.push(Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw)));
  splitter.end();
  return lines;
}
