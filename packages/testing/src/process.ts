// Daemons of the local stack: started detached (they outlive the process that started them, so
// `npm run stack` can exit and tests reuse them), tracked by pid files, stopped by pid.
import { spawn } from 'node:child_process';
import { closeSync, constants, existsSync, openSync, writeSync } from 'node:fs';
import { access, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, delimiter, isAbsolute, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const logsDir = (stateDir: string) => join(stateDir, 'logs');
export const runDir = (stateDir: string) => join(stateDir, 'run');
export const logFileOf = (stateDir: string, name: string) => join(logsDir(stateDir), `${name}.log`);
export const pidFileOf = (stateDir: string, name: string) => join(runDir(stateDir), `${name}.pid`);

/** The fix printed with every "not found" and "did not start" error. */
export const SETUP_FIX = 'bash scripts/setup';

export interface Daemon {
  name: string;
  pid: number;
  logFile: string;
  /** Set once the process has exited while this process was watching it. */
  exited(): string | undefined;
}

export interface StartDaemonOptions {
  stateDir: string;
  name: string;
  argv: string[];
  env?: NodeJS.ProcessEnv;
  /** Run as this OS user (e.g. PostgreSQL refuses to run as root). */
  uid?: number;
  gid?: number;
}

/** Spawns `argv` detached, stdout+stderr appended to logs/<name>.log, pid in run/<name>.pid. */
export async function startDaemon(options: StartDaemonOptions): Promise<Daemon> {
  const { stateDir, name, argv } = options;
  const [command, ...args] = argv;
  if (!command) throw new Error(`startDaemon(${name}): empty argv`);
  await mkdir(logsDir(stateDir), { recursive: true });
  await mkdir(runDir(stateDir), { recursive: true });
  const logFile = logFileOf(stateDir, name);
  const fd = openSync(logFile, 'a', 0o600);
  let child: ReturnType<typeof spawn>;
  try {
    writeSync(fd, `\n=== ${new Date().toISOString()} starting ${name}: ${argv.join(' ')}\n`);
    child = spawn(command, args, {
      detached: true,
      stdio: ['ignore', fd, fd],
      env: options.env ?? process.env,
      uid: options.uid,
      gid: options.gid,
    });
  } finally {
    closeSync(fd); // the child holds its own copy
  }
  let exitStatus: string | undefined;
  const spawned = new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (error) => {
      exitStatus = `could not be started: ${error.message}`;
      reject(new Error(`${name}: could not start ${command}: ${error.message}`));
    });
  });
  child.once('exit', (code, signal) => {
    exitStatus = signal ? `was killed by ${signal}` : `exited with code ${code}`;
  });
  await spawned;
  const pid = child.pid as number;
  await writeFile(pidFileOf(stateDir, name), `${pid}\n${command}\n${(await startTime(pid)) ?? ''}\n`);
  child.unref();
  return { name, pid, logFile, exited: () => exitStatus };
}

export interface PidFile {
  pid: number;
  command: string;
  /** /proc/<pid>/stat's start time: tells our process from a later one that got the same pid. */
  startTime: string;
}

/** Fields of /proc/<pid>/stat after the command name (which may contain spaces). */
async function procStat(pid: number): Promise<string[] | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

async function startTime(pid: number): Promise<string | undefined> {
  return (await procStat(pid))?.[19]; // field 22 of stat(5); [0] here is field 3
}

export async function readPidFile(stateDir: string, name: string): Promise<PidFile | undefined> {
  try {
    const [pid, command = '', started = ''] = (await readFile(pidFileOf(stateDir, name), 'utf8')).split('\n');
    const parsed = Number(pid);
    return Number.isInteger(parsed) && parsed > 0 ? { pid: parsed, command, startTime: started } : undefined;
  } catch {
    return undefined;
  }
}

/** Alive and not a zombie. */
export async function isAlive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = await procStat(pid);
  return stat ? stat[0] !== 'Z' : existsSync(`/proc/${pid}`);
}

/** The pid file's process lives and is still the one we started (pids get reused). */
export async function runningDaemon(stateDir: string, name: string): Promise<PidFile | undefined> {
  const file = await readPidFile(stateDir, name);
  if (!file || !(await isAlive(file.pid))) return undefined;
  if (file.startTime && file.startTime !== (await startTime(file.pid))) return undefined;
  try {
    const argv0 = (await readFile(`/proc/${file.pid}/cmdline`, 'utf8')).split('\0')[0] ?? '';
    // Wrappers exec the real binary (pyenv shims), and PostgreSQL rewrites its title: compare names.
    return argv0.includes(basename(file.command)) ? file : undefined;
  } catch {
    return undefined;
  }
}

/** SIGTERM, then SIGKILL after `timeoutMs`; removes the pid file. True when something was stopped. */
export async function stopDaemon(stateDir: string, name: string, timeoutMs = 15_000): Promise<boolean> {
  const running = await runningDaemon(stateDir, name);
  if (running) {
    process.kill(running.pid, 'SIGTERM');
    const deadline = Date.now() + timeoutMs;
    while ((await isAlive(running.pid)) && Date.now() < deadline) await sleep(100);
    if (await isAlive(running.pid)) process.kill(running.pid, 'SIGKILL');
  }
  await rm(pidFileOf(stateDir, name), { force: true });
  return running !== undefined;
}

/** Names of all daemons with a pid file, e.g. for `cloudwady-stack down`. */
export async function daemonNames(stateDir: string): Promise<string[]> {
  try {
    return (await readdir(runDir(stateDir))).filter((f) => f.endsWith('.pid')).map((f) => f.slice(0, -4));
  } catch {
    return [];
  }
}

/** The last lines of the latest run in a daemon log (startDaemon marks each run with `=== `). */
export async function logTail(file: string | undefined, lines = 25): Promise<string> {
  if (!file) return '';
  try {
    const text = (await readFile(file, 'utf8')).trimEnd();
    const lastRun = text.slice(Math.max(0, text.lastIndexOf('\n=== ') + 1));
    return lastRun.split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

export interface WaitForOptions {
  /** Names the piece in the error, e.g. "PostgreSQL on 127.0.0.1:15432". */
  what: string;
  timeoutMs: number;
  intervalMs?: number;
  logFile?: string;
  /** Fail fast when the daemon dies instead of waiting out the timeout. */
  daemon?: Daemon;
  fix?: string;
}

/** Polls a real readiness check until it returns true; fails with the log tail and the fix. */
export async function waitFor(check: () => Promise<boolean>, options: WaitForOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError = '';
  for (;;) {
    try {
      if (await check()) return;
      lastError = '';
    } catch (error) {
      lastError = (error as Error).message;
    }
    const exited = options.daemon?.exited();
    if (exited || Date.now() >= deadline) {
      const reason = exited ?? `did not become ready within ${Math.round(options.timeoutMs / 1000)} s`;
      const tail = await logTail(options.logFile);
      throw new Error(
        [
          `${options.what} ${reason}${lastError ? ` (last check: ${lastError})` : ''}.`,
          tail ? `Last lines of ${options.logFile}:\n${tail}` : '',
          `Fix: ${options.fix ?? `see the log above; \`${SETUP_FIX}\` installs what is missing`}.`,
        ]
          .filter(Boolean)
          .join('\n'),
      );
    }
    await sleep(options.intervalMs ?? 200);
  }
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** First executable among `candidates` (absolute paths, or bare names looked up on PATH). */
export async function findExecutable(name: string, candidates: string[], install: string): Promise<string> {
  for (const candidate of candidates) {
    if (isAbsolute(candidate)) {
      if (await isExecutable(candidate)) return candidate;
      continue;
    }
    for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
      if (await isExecutable(join(dir, candidate))) return join(dir, candidate);
    }
  }
  throw new Error(`${name} not found: run \`${SETUP_FIX}\` (${install})`);
}
