// Failed requests while a deploy and a rollback run, under a steady request loop through nginx
// (GET /web/health then GET /, every 50 ms). The bare rollback runs under the same loop on its site.
import type { RunRef } from '@cloudwady/sdk';
import { resultOf } from '../support/local.js';
import type { BenchContext } from './context.js';
import { type LoopSeen, startRequestLoop } from './loop-process.js';
import type { ReportLine } from './report.js';
import { formatMs, since } from './stats.js';
import { slowestSteps, stepTimes } from './steps.js';

/** Runs `work` under a request loop on `domain`; what the loop saw and how long the work took. */
async function underLoad<T>(domain: string, work: () => Promise<T>) {
  const loop = await startRequestLoop(domain);
  const started = performance.now();
  let value: T;
  try {
    value = await work();
  } catch (error) {
    await loop.stop();
    throw error;
  }
  const ms = since(started);
  return { ms, value, seen: await loop.stop() };
}

/** Starts a run, waits for its result, returns its ref. */
const finished = async (ctx: BenchContext, start: () => Promise<RunRef>) => {
  const ref = await start();
  await resultOf(ctx.engine, ref);
  return ref;
};

const failures = (seen: LoopSeen) => `${seen.failed.length} failed, ${seen.ok} ok`;
const sample = (seen: LoopSeen) => [...new Set(seen.failed)].slice(0, 5);

export async function measureLoad(ctx: BenchContext): Promise<ReportLine[]> {
  const main = await ctx.mainApp();
  const bare = await ctx.bareSetup();
  const deploy = await underLoad(main.domain, () => finished(ctx, () => main.ada.apps.deploy(main.app.id)));
  const deploySteps = await stepTimes(main.ada, deploy.value);
  ctx.log(`deploy under load: ${failures(deploy.seen)} in ${deploy.ms} ms`);

  const current = await main.ada.releases.current(main.app.id);
  const target = main.releases.find((r) => r.id !== current?.id) ?? main.releases[0];
  const rollback = await underLoad(main.domain, () =>
    finished(ctx, () => main.ada.apps.rollback(main.app.id, { releaseId: target.id })),
  );
  const rollbackSteps = await stepTimes(main.ada, rollback.value);
  const bareTarget = main.releases.find((r) => r.id !== bare.serving.releaseId) ?? main.releases[0];
  const byHand = await underLoad(bare.domain, () => bare.rollbackTo(bareTarget));
  ctx.log(`rollback under load: sdk ${failures(rollback.seen)}, bare ${failures(byHand.seen)}`);

  const loop =
    'a request loop through nginx on 127.0.0.1, in a child process (GET /web/health, then GET /, every 50 ms; "ok" counts 200 health answers, every error or non-200 answer of either GET is a failure)';
  return [
    {
      id: 'failedRequests.deploy',
      title: 'failed requests during deploy',
      engine: `${failures(deploy.seen)} (${formatMs(deploy.ms)})`,
      bare: '',
      ratio: null,
      method: `ada.apps.deploy() of the deployed app (a new release beside the serving one) under ${loop}. No bare baseline: a deploy by hand is a build, a database check, a container, a health wait and a reload; the rollback line compares the switch itself. Engine steps: ${slowestSteps(deploySteps)}.`,
      data: {
        ms: deploy.ms,
        ok: deploy.seen.ok,
        failed: deploy.seen.failed.length,
        sample: sample(deploy.seen),
      },
    },
    {
      id: 'failedRequests.rollback',
      title: 'failed requests during rollback',
      engine: `${failures(rollback.seen)} (${formatMs(rollback.ms)})`,
      bare: `${failures(byHand.seen)} (${formatMs(byHand.ms)})`,
      ratio: null,
      method: `ada.apps.rollback() under ${loop}, vs the by-hand rollback (docker run, health poll, site rewrite, nginx -s reload, docker stop + rm of the previous container) under the same loop on its own domain. Engine steps: ${slowestSteps(rollbackSteps)}.`,
      data: {
        engine: {
          ms: rollback.ms,
          ok: rollback.seen.ok,
          failed: rollback.seen.failed.length,
          sample: sample(rollback.seen),
          engineSteps: rollbackSteps,
        },
        bare: {
          ms: byHand.ms,
          ok: byHand.seen.ok,
          failed: byHand.seen.failed.length,
          sample: sample(byHand.seen),
        },
      },
    },
  ];
}
