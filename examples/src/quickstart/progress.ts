// Live progress of one run, from client.runs.watch: each finished step becomes a permanent line,
// the running step (with its elapsed time and latest output line) is the live line.
import type { CloudWadyClient, RunLocator, RunStep } from '@cloudwady/sdk';
import type { Output } from './output.js';

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const DONE: Partial<Record<RunStep['status'], string>> = {
  completed: '✓',
  failed: '✗',
  timed_out: '✗',
  canceled: '-',
};

/** Follows the run until it ends; returns the run's final status. */
export async function followRun(client: CloudWadyClient, run: RunLocator, out: Output): Promise<string> {
  let running: { label: string; since: number } | null = null;
  let lastLine = '';
  let frame = 0;
  // The watcher polls; the ticker keeps the elapsed time moving between its events.
  const draw = () => {
    if (!running) return out.live(null);
    const elapsed = seconds(Date.now() - running.since);
    const tail = lastLine ? `  ${lastLine.replace(/\s+/g, ' ')}` : '';
    out.live(`    ${SPINNER[frame++ % SPINNER.length]} ${running.label} ${elapsed}${tail}`);
  };
  const ticker = setInterval(draw, 200);
  let status = 'unknown';
  try {
    for await (const event of client.runs.watch(run, { intervalMs: 300 })) {
      if (event.type === 'step') {
        const { step } = event;
        const label = step.label || step.name;
        const mark = DONE[step.status];
        if (mark) {
          running = null;
          const retried = step.attempts > 1 ? ` after ${step.attempts} attempts` : '';
          out.log(`    ${mark} ${label} ${seconds(step.durationMs ?? 0)}${retried}`);
        } else if (step.status === 'running') {
          running = { label, since: step.startedAt ? Date.parse(step.startedAt) : Date.now() };
          lastLine = '';
        }
      } else if (event.type === 'log') {
        lastLine = event.line;
      } else if (event.type === 'end') {
        status = event.status;
      }
      draw();
    }
  } finally {
    clearInterval(ticker);
    out.live(null);
  }
  return status;
}
