// Rollback through the SDK (start the earlier release beside the serving one, health, route with
// nginx -t, reload and route check, stop the previous) vs the same by hand: docker run of the old
// image with the engine's mounts, health poll, rewrite the site, nginx -s reload, stop the old one.
import { resultOf } from '../support/local.js';
import type { BenchContext } from './context.js';
import type { ReportLine } from './report.js';
import { formatSummary, ratio, summarize, timed } from './stats.js';
import { medianSteps, slowestSteps, stepTimes } from './steps.js';

export async function measureRollback(ctx: BenchContext): Promise<ReportLine[]> {
  const main = await ctx.mainApp();
  const bare = await ctx.bareSetup();
  const engineMs: number[] = [];
  const bareMs: number[] = [];
  const other = (releaseId: string) =>
    main.releases[0].id === releaseId ? main.releases[1] : main.releases[0];

  const engineSteps: Record<string, number>[] = [];
  const viaSdk = async () => {
    const current = await main.ada.releases.current(main.app.id);
    const target = other(current?.id ?? '');
    const t = await timed(async () => {
      const ref = await main.ada.apps.rollback(main.app.id, { releaseId: target.id });
      await resultOf(ctx.engine, ref);
      return ref;
    });
    engineMs.push(t.ms);
    engineSteps.push(await stepTimes(main.ada, t.value));
  };
  const byHand = async () => {
    const target = other(bare.serving.releaseId);
    const t = await timed(() => bare.rollbackTo(target));
    bareMs.push(t.ms);
  };
  for (let i = 0; i < ctx.options.repeat; i++) {
    for (const step of i % 2 === 0 ? [viaSdk, byHand] : [byHand, viaSdk]) await step();
    ctx.log(`rollback ${i + 1}/${ctx.options.repeat}: sdk ${engineMs.at(-1)} ms, bare ${bareMs.at(-1)} ms`);
  }
  const engine = summarize(engineMs);
  const bareSummary = summarize(bareMs);
  const steps = medianSteps(engineSteps);
  return [
    {
      id: 'rollback',
      title: 'rollback',
      engine: formatSummary(engine),
      bare: formatSummary(bareSummary),
      ratio: ratio(engine.p50, bareSummary.p50),
      method: `ada.apps.rollback() to the other of two releases (different images) until its workflow result vs, by hand on a site of its own: \`docker run -d --network host\` of that release's image with its odoo.conf and data dir mounted as the engine mounts them, /web/health poll every ${ctx.options.healthIntervalMs} ms, site rewritten, \`${ctx.stack.nginx.reloadArgv.join(' ')}\`, \`docker stop\` + \`docker rm\` of the previous container (no nginx -t, no wait for the reload to take effect); interleaved, ${ctx.options.repeat} each; ratio of p50s. Engine steps (median): ${slowestSteps(steps)}.`,
      data: { engineMs, bareMs, engine, bare: bareSummary, engineSteps: steps },
    },
  ];
}
