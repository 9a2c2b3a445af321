// Where an engine run's time goes, read back through the SDK's own run history (runs.get): the
// duration of each step (activity), so a slow line of the table says which step made it slow.
import type { CloudWadyClient, RunRef } from '@cloudwady/sdk';
import { formatMs, percentile } from './stats.js';

type Actor = ReturnType<CloudWadyClient['as']>;

/** Step name -> milliseconds for one finished run (a step that ran twice is summed). */
export async function stepTimes(actor: Actor, run: RunRef): Promise<Record<string, number>> {
  const details = await actor.runs.get({ appId: run.appId, workflowId: run.workflowId });
  const times: Record<string, number> = {};
  for (const step of details?.steps ?? [])
    times[step.name] = (times[step.name] ?? 0) + (step.durationMs ?? 0);
  return times;
}

/** The median of each step over several runs. */
export function medianSteps(runs: readonly Record<string, number>[]): Record<string, number> {
  const names = [...new Set(runs.flatMap((r) => Object.keys(r)))];
  return Object.fromEntries(
    names.map((name) => [
      name,
      percentile(
        runs.map((r) => r[name] ?? 0),
        50,
      ),
    ]),
  );
}

/** "startRelease 9.70 s, stopRelease 5.52 s, route 809 ms" (the slowest first). */
export function slowestSteps(steps: Record<string, number>, count = 4): string {
  return Object.entries(steps)
    .sort(([, a], [, b]) => b - a)
    .slice(0, count)
    .map(([name, ms]) => `${name} ${formatMs(ms)}`)
    .join(', ');
}
