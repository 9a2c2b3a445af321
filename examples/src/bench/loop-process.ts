// The steady request loop runs in a child process of its own: in the bench's process it would
// share the event loop with the in-process worker, and a worker stall would show up as client
// timeouts that no real visitor (another process, another machine) would see.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { startStack } from '@cloudwady/testing';
import { requestLoop } from '../support/local.js';

/** argv[0] of the child mode of bench.js. */
export const REQUEST_LOOP_FLAG = '--request-loop-child';

export interface LoopSeen {
  ok: number;
  failed: string[];
  releases: string[];
}

/** Child side: loop on `domain` through the stack's nginx until stdin ends, then print what it saw. */
export async function runRequestLoopChild(domain: string): Promise<void> {
  const stack = await startStack({ services: ['nginx'] });
  const loop = requestLoop(stack, domain);
  process.stdout.write('ready\n');
  process.stdin.resume();
  await new Promise((resolve) => process.stdin.once('end', resolve));
  const seen = await loop.stop();
  const result: LoopSeen = { ok: seen.ok, failed: seen.failed, releases: [...seen.releases] };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function lines(child: ChildProcess): AsyncIterator<string> {
  if (!child.stdout) throw new Error('request loop child has no stdout');
  return createInterface({ input: child.stdout })[Symbol.asyncIterator]();
}

/** Parent side: starts the loop in a child (`node bench.js --request-loop-child DOMAIN`). */
export async function startRequestLoop(domain: string): Promise<{ stop(): Promise<LoopSeen> }> {
  const script = process.argv[1];
  if (!script) throw new Error('cannot tell which script runs the bench');
  const child = spawn(process.execPath, [script, REQUEST_LOOP_FLAG, domain], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const output = lines(child);
  const first = await output.next();
  if (first.done || first.value !== 'ready') {
    child.kill();
    throw new Error(`request loop child did not start (said ${JSON.stringify(first.value)})`);
  }
  return {
    async stop() {
      child.stdin?.end();
      const last = await output.next();
      if (last.done) throw new Error('request loop child ended without its result');
      return JSON.parse(last.value) as LoopSeen;
    },
  };
}
