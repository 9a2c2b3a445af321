// N apps deployed at once on one worker (the in-process one of startLocalEngine): wall time of
// the whole batch, each run's time from the SDK call to its workflow result, and the peak RSS of
// the process hosting the worker, sampled every 100 ms.
import { setTimeout as sleep } from 'node:timers/promises';
import type { CloudWadyClient, RunRef } from '@cloudwady/sdk';
import { resultOf } from '../support/local.js';
import { rootMessage } from './cleanup.js';
import type { BenchContext, StackApp } from './context.js';
import { sampleRss } from './memory.js';
import type { ReportLine } from './report.js';
import { formatBytes, formatMs, since, summarize } from './stats.js';
import { medianSteps, slowestSteps, stepTimes } from './steps.js';

/** Runs `make` for 0..n-1, at most `limit` at a time. */
export async function inBatches<T>(n: number, limit: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  const lane = async () => {
    while (next < n) {
      const i = next++;
      out[i] = await make(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, limit) }, lane));
  return out;
}

type Outcome =
  | { ms: number; ref: RunRef; ada: ReturnType<CloudWadyClient['as']> }
  | { ms: number; error: string };

export async function measureConcurrent(ctx: BenchContext): Promise<ReportLine[]> {
  const n = ctx.options.apps;
  ctx.log(`creating ${n} apps ...`);
  const apps: StackApp[] = await inBatches(n, 4, () => ctx.newApp());
  ctx.log(`deploying ${n} apps at once (deadline ${ctx.options.deadlineMinutes} min) ...`);
  const memory = sampleRss(100);
  const started = performance.now();
  const outcomes: (Outcome | null)[] = apps.map(() => null);
  const refs: (RunRef | null)[] = apps.map(() => null);
  const all = Promise.all(
    apps.map(async ({ ada, app }, i) => {
      const t = performance.now();
      try {
        const ref = await ada.apps.deploy(app.id);
        refs[i] = ref;
        await resultOf(ctx.engine, ref);
        outcomes[i] = { ms: since(t), ref, ada };
      } catch (error) {
        outcomes[i] = { ms: since(t), error: rootMessage(error) };
      }
    }),
  );
  const deadline = new AbortController();
  await Promise.race([
    all,
    sleep(ctx.options.deadlineMinutes * 60_000, undefined, { signal: deadline.signal }).catch(() => {}),
  ]);
  deadline.abort();
  const totalMs = since(started);
  const rss = memory.stop();
  // Runs still going at the deadline are canceled (cleanup terminates whatever is left).
  const unfinished = apps.flatMap(({ ada, app }, i) => {
    const ref = refs[i];
    return outcomes[i] === null && ref
      ? [ada.runs.cancel({ appId: app.id, workflowId: ref.workflowId })]
      : [];
  });
  await Promise.allSettled(unfinished);
  const done = outcomes.flatMap((o) => (o && 'ref' in o ? [o] : []));
  const errors = outcomes.flatMap((o) => (o && 'error' in o ? [o.error] : []));
  const runMs = done.map((d) => d.ms);
  const steps = medianSteps(await Promise.all(done.map((d) => stepTimes(d.ada, d.ref))));
  const runs = summarize(runMs);
  const notDone = outcomes.filter((o) => o === null).length;
  ctx.log(`${n} deploys: ${totalMs} ms, ${done.length} done, ${errors.length} failed, ${notDone} unfinished`);
  const failedNote = [
    errors.length > 0 ? `, ${errors.length} failed` : '',
    notDone > 0 ? `, ${notDone} not done at the deadline` : '',
  ].join('');
  // One cold deploy alone (the main app's first, same kind of fresh app), when a section made it.
  const alone = (await ctx.mainIfMade())?.firstDeployMs ?? null;
  const aloneNote = alone === null ? '' : ` (1 app alone: ${formatMs(alone)})`;
  const lines: ReportLine[] = [
    {
      id: 'concurrent.total',
      title: `${n} apps deployed concurrently: total`,
      engine: `${formatMs(totalMs)}${failedNote}${aloneNote}`,
      bare: '',
      ratio: null,
      method: `${n} fresh apps (each its own repository, so its own image build and database), ada.apps.deploy() called for all at once, until the last workflow result (or the deadline, --deadline-minutes); failed runs give their cause in the JSON; one worker (max 20 concurrent activities) in this process. No bare baseline (a deploy by hand is a build, an odoo -i, a container, a health wait and a reload per app).`,
      data: {
        apps: n,
        totalMs,
        oneAppAloneMs: alone,
        done: done.length,
        unfinished: notDone,
        deadlineMinutes: ctx.options.deadlineMinutes,
        failed: errors.length,
        errors: [...new Set(errors)].slice(0, 5),
      },
    },
    {
      id: 'concurrent.perRun',
      title: `${n} apps deployed concurrently: per run`,
      engine: `${formatMs(runs.p50)} p50, ${formatMs(runs.p95)} p95 (n=${runs.n} done)`,
      bare: '',
      ratio: null,
      method: `each deploy from its SDK call to its workflow result, while all run at once. Engine steps (median): ${slowestSteps(steps)}.`,
      data: { runMs, summary: runs, engineSteps: steps },
    },
    {
      id: 'concurrent.peakRss',
      title: `${n} apps deployed concurrently: worker peak memory`,
      engine: `${formatBytes(rss.peakBytes)} RSS (${formatBytes(rss.startBytes)} before)`,
      bare: '',
      ratio: null,
      method: `process.memoryUsage.rss() of the process hosting the worker (and the SDK client), every 100 ms during the batch (${rss.samples} samples).`,
      data: rss,
    },
  ];
  return lines;
}
