// N apps deployed at once on one worker (the in-process one of startLocalEngine): wall time of
// the whole batch, each run's time from the SDK call to its workflow result, and the peak RSS of
// the process hosting the worker, sampled every 100 ms.
import { resultOf } from '../support/local.js';
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

export async function measureConcurrent(ctx: BenchContext): Promise<ReportLine[]> {
  const n = ctx.options.apps;
  ctx.log(`creating ${n} apps ...`);
  const apps: StackApp[] = await inBatches(n, 4, () => ctx.newApp());
  ctx.log(`deploying ${n} apps at once ...`);
  const memory = sampleRss(100);
  const started = performance.now();
  const results = await Promise.allSettled(
    apps.map(async ({ ada, app }) => {
      const t = performance.now();
      const ref = await ada.apps.deploy(app.id);
      await resultOf(ctx.engine, ref);
      return { ms: since(t), ref, ada };
    }),
  );
  const totalMs = since(started);
  const rss = memory.stop();
  const done = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const runMs = done.map((d) => d.ms);
  const steps = medianSteps(await Promise.all(done.map((d) => stepTimes(d.ada, d.ref))));
  const errors = results.flatMap((r) =>
    r.status === 'rejected' ? [String((r.reason as Error)?.message)] : [],
  );
  const runs = summarize(runMs);
  ctx.log(`${n} deploys: ${totalMs} ms, ${errors.length} failed`);
  const failedNote = errors.length > 0 ? `, ${errors.length} FAILED` : '';
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
      method: `${n} fresh apps (each its own repository, so its own image build and database), ada.apps.deploy() called for all at once, until the last workflow result; one worker (max 20 concurrent activities) in this process. No bare baseline (a deploy by hand is a build, an odoo -i, a container, a health wait and a reload per app).`,
      data: {
        apps: n,
        totalMs,
        oneAppAloneMs: alone,
        failed: errors.length,
        errors: [...new Set(errors)].slice(0, 5),
      },
    },
    {
      id: 'concurrent.perRun',
      title: `${n} apps deployed concurrently: per run`,
      engine: `${formatMs(runs.p50)} p50, ${formatMs(runs.p95)} p95`,
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
