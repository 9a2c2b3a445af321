import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';

// Runs the host tools the images need (debootstrap, tar, docker) with argv arrays, never a shell,
// and turns their failures into errors that name the missing piece and the fix.

/** How to get each tool on a fresh machine; scripts/setup installs them all. */
const FIXES: Record<string, string> = {
  debootstrap: 'run scripts/setup (apt-get install debootstrap)',
  docker: 'run scripts/setup (apt-get install docker.io)',
  tar: 'apt-get install tar',
  umount: 'apt-get install mount',
};

const STDERR_TAIL = 2000;

export interface ToolResult {
  stdout: string;
  stderr: string;
}

export interface ToolOptions {
  env?: NodeJS.ProcessEnv;
  /** Fed to the tool's stdin (e.g. another tool's stdout). */
  stdin?: Readable;
  /** Called with each stdout line as it arrives (progress). */
  onLine?: (line: string) => void;
  /** false: leave stdout unread (binary, piped elsewhere by the caller). Default true. */
  captureStdout?: boolean;
}

/** The message for a tool that could not start or exited non-zero; pure so it is testable. */
export function toolErrorMessage(
  argv: string[],
  failure: { code?: string; exitCode?: number | string | null; stderr?: string },
): string {
  const tool = argv[0] ?? '';
  const command = argv.slice(0, 2).join(' ');
  if (failure.code === 'ENOENT') return `${tool} not found: ${FIXES[tool] ?? `install ${tool}`}`;
  const stderr = (failure.stderr ?? '').trim();
  const tail = stderr.length > STDERR_TAIL ? `...${stderr.slice(-STDERR_TAIL)}` : stderr;
  let fix = '';
  if (tool === 'docker' && /cannot connect to the docker daemon|docker\.sock/i.test(stderr)) {
    fix =
      ': dockerd is not reachable; start it (the stack\'s "docker" service or scripts/setup) or set DOCKER_HOST';
  } else if (tool === 'debootstrap' && /can only run as root/i.test(stderr)) {
    fix = ': debootstrap needs root (run the tests as root, or build the base image once with sudo)';
  }
  const how = failure.code ? `could not start (${failure.code})` : `failed (exit ${failure.exitCode})`;
  return `${command} ${how}${fix}${tail ? `\n${tail}` : ''}`;
}

export class ToolError extends Error {
  constructor(
    message: string,
    readonly argv: string[],
    readonly stderr: string,
  ) {
    super(message);
    this.name = 'ToolError';
  }
}

/** Starts a tool; `done` resolves with its output on exit 0 and rejects with a ToolError otherwise. */
export function startTool(argv: string[], options: ToolOptions = {}) {
  const [command, ...args] = argv;
  if (!command) throw new Error('startTool: empty argv');
  const child = spawn(command, args, {
    env: options.env ?? process.env,
    stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  if (options.stdin && child.stdin) {
    // EPIPE when the consumer dies early: its own exit status carries the real error.
    child.stdin.on('error', () => {});
    options.stdin.pipe(child.stdin);
  }
  let stdout = '';
  let stderr = '';
  let pending = '';
  const capture = options.captureStdout !== false ? child.stdout : null;
  capture?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (!options.onLine) return;
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) options.onLine(line);
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    // Keep only the tail: debootstrap and docker build can be chatty.
    stderr = (stderr + chunk).slice(-4 * STDERR_TAIL);
  });
  const done = new Promise<ToolResult>((resolve, reject) => {
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(new ToolError(toolErrorMessage(argv, { code: error.code ?? 'error', stderr }), argv, stderr));
    });
    child.on('close', (code, signal) => {
      const exitCode = code ?? signal;
      if (pending && options.onLine) options.onLine(pending);
      if (exitCode === 0) resolve({ stdout, stderr });
      else reject(new ToolError(toolErrorMessage(argv, { exitCode, stderr }), argv, stderr));
    });
  });
  return { child, done };
}

export function runTool(argv: string[], options: ToolOptions = {}): Promise<ToolResult> {
  return startTool(argv, options).done;
}

/** `producer | consumer` without a shell; fails with the first tool's error. */
export async function pipeTools(producer: string[], consumer: string[], options: ToolOptions = {}) {
  const source = startTool(producer, { env: options.env, captureStdout: false });
  if (!source.child.stdout) throw new Error('pipeTools: producer has no stdout');
  const sink = startTool(consumer, { ...options, stdin: source.child.stdout });
  const [produced, consumed] = await Promise.allSettled([source.done, sink.done]);
  if (produced.status === 'rejected') throw produced.reason;
  if (consumed.status === 'rejected') throw consumed.reason;
  return consumed.value;
}
