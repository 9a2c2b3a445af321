// Orchestration overhead: Restart Service through the SDK (Temporal workflow, app queue, Docker
// Engine API over SSH, health wait over SSH) vs `docker restart` plus the same /web/health poll.
import { resultOf } from '../support/local.js';
import { run, waitHealthyByHand } from './bare.js';
import type { BenchContext } from './context.js';
import type { ReportLine } from './report.js';
import { formatSummary, ratio, summarize, timed } from './stats.js';
import { medianSteps, slowestSteps, stepTimes } from './steps.js';

export async function measureRestart(ctx: BenchContext): Promise<ReportLine[]> {
  const main = await ctx.mainApp();
  const { name, port } = await ctx.currentContainer(main);
  const engineMs: number[] = [];
  const bareMs: number[] = [];
  const engineSteps: Record<string, number>[] = [];
  const viaSdk = async () => {
    const t = await timed(async () => {
      const ref = await main.ada.apps.restart(main.app.id);
      await resultOf(ctx.engine, ref);
      return ref;
    });
    engineMs.push(t.ms);
    engineSteps.push(await stepTimes(main.ada, t.value));
  };
  const byHand = async () => {
    const t = await timed(async () => {
      await run(['docker', 'restart', name]);
      await waitHealthyByHand(port, ctx.options.healthIntervalMs);
    });
    bareMs.push(t.ms);
  };
  for (let i = 0; i < ctx.options.repeat; i++) {
    // Alternating who goes first, so neither always meets a freshly restarted container.
    for (const step of i % 2 === 0 ? [viaSdk, byHand] : [byHand, viaSdk]) await step();
    ctx.log(`restart ${i + 1}/${ctx.options.repeat}: sdk ${engineMs.at(-1)} ms, bare ${bareMs.at(-1)} ms`);
  }
  const engine = summarize(engineMs);
  const bare = summarize(bareMs);
  const steps = medianSteps(engineSteps);
  return [
    {
      id: 'restart',
      title: 'restart (orchestration overhead)',
      engine: formatSummary(engine),
      bare: formatSummary(bare),
      ratio: ratio(engine.p50, bare.p50),
      method: `ada.apps.restart() until its workflow result vs \`docker restart ${name}\` (docker CLI on this machine) then GET /web/health on 127.0.0.1:${port} until 200 pass (an attempt at once, then every ${ctx.options.healthIntervalMs} ms; the engine's waitHealthy polls every 1 s); interleaved, ${ctx.options.repeat} each; ratio of p50s. Engine steps (median): ${slowestSteps(steps)}.`,
      data: {
        engineMs,
        bareMs,
        engine,
        bare,
        engineSteps: steps,
        healthIntervalMs: ctx.options.healthIntervalMs,
      },
    },
  ];
}
