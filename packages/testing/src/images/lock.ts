import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

// Two test processes starting on a fresh machine would otherwise both debootstrap into the
// same rootfs directory. A pid file; a holder that died leaves a stale lock we may take over.

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function stale(path: string): Promise<{ stale: boolean; holder: string }> {
  const holder = (await readFile(path, 'utf8').catch(() => '')).trim();
  const pid = Number(holder);
  if (Number.isInteger(pid) && pid > 0) return { stale: !alive(pid), holder };
  // Empty: just created and not yet written, unless it has stayed empty for a while.
  const age = Date.now() - ((await stat(path).catch(() => undefined))?.mtimeMs ?? 0);
  return { stale: age > 10_000, holder: '?' };
}

export async function withLock<T>(
  path: string,
  fn: () => Promise<T>,
  options: { timeoutMs?: number; onWait?: (holder: string) => void } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 15 * 60_000);
  let told = false;
  for (;;) {
    try {
      await writeFile(path, String(process.pid), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const lock = await stale(path);
    if (lock.stale) {
      await rm(path, { force: true });
      continue;
    }
    if (!told) options.onWait?.(lock.holder);
    told = true;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${path} (held by pid ${lock.holder})`);
    await sleep(500);
  }
  try {
    return await fn();
  } finally {
    await rm(path, { force: true });
  }
}
