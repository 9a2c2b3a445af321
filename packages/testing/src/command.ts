import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Runs argv to completion (never through a shell); failures carry the tail of stderr. */
export async function run(argv: string[]): Promise<string> {
  const [command, ...args] = argv;
  if (!command) throw new Error('run: empty argv');
  try {
    const { stdout } = await execFileAsync(command, args, { timeout: 120_000, maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const failure = error as Error & { stderr?: string; code?: number | string };
    const stderr = (failure.stderr ?? '').trim().split('\n').slice(-15).join('\n');
    throw new Error(
      `\`${argv.join(' ')}\` failed (${failure.code ?? failure.message})${stderr ? `:\n${stderr}` : ''}`,
    );
  }
}

/** uid/gid of an OS user (daemons that must not run as root). */
export async function osUser(name: string, install: string): Promise<{ uid: number; gid: number }> {
  const entry = await run(['getent', 'passwd', name]).catch(() => {
    throw new Error(`OS user ${name} not found: run \`bash scripts/setup\` (${install})`);
  });
  const [, , uid, gid] = entry.trim().split(':');
  return { uid: Number(uid), gid: Number(gid) };
}
