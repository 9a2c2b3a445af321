// `npm run bench`: what CloudWady's orchestration costs next to the bare tools doing the same
// work in the same run, on the local stack (every call on loopback). Prints a table and writes
// bench/results/<timestamp>.json and bench/results/latest.json. See docs/benchmarks.md.
import { rm } from 'node:fs/promises';
import { availableParallelism, totalmem } from 'node:os';
import { join } from 'node:path';
import { startStack } from '@cloudwady/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { rootMessage } from './bench/cleanup.js';
import { measureConcurrent } from './bench/concurrent.js';
import { BenchContext } from './bench/context.js';
import { measureHistory } from './bench/history.js';
import { measureLoad } from './bench/load.js';
import { REQUEST_LOOP_FLAG, runRequestLoopChild } from './bench/loop-process.js';
import { type BenchOptions, parseBenchOptions, type Section, USAGE, UsageError } from './bench/options.js';
import {
  type BenchReport,
  type ReportLine,
  renderMethods,
  renderTable,
  writeReport,
} from './bench/report.js';
import { measureRestart } from './bench/restart.js';
import { measureRollback } from './bench/rollback.js';
import { formatMs } from './bench/stats.js';
import { startLocalEngine, uniqueName } from './support/local.js';

const SECTION_RUNS: Record<
  Section,
  { title: string; measure: (ctx: BenchContext) => Promise<ReportLine[]> }
> = {
  restart: { title: 'restart (orchestration overhead)', measure: measureRestart },
  rollback: { title: 'rollback', measure: measureRollback },
  load: { title: 'failed requests during deploy and rollback', measure: measureLoad },
  concurrent: { title: 'apps deployed concurrently', measure: measureConcurrent },
  history: { title: 'runs.list / runs.get on an app with many runs', measure: measureHistory },
};

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

/** The worker's own log (an info line per activity) would bury the table: warnings, on stderr. */
function quietWorkerLog(): void {
  Runtime.install({
    logger: new DefaultLogger('WARN', (entry) => {
      const error = (entry.meta as { error?: unknown } | undefined)?.error;
      const why = error === undefined ? '' : `: ${rootMessage(error).split('\n')[0]}`;
      process.stderr.write(`[worker] ${entry.level} ${entry.message}${why}\n`);
    }),
  });
}

async function bench(options: BenchOptions): Promise<BenchReport> {
  const startedAt = new Date();
  const t0 = performance.now();
  log(`options: ${JSON.stringify({ ...options, outDir: undefined })}`);
  quietWorkerLog();
  const stack = await startStack({ log: (line) => log(`stack: ${line}`) });
  const engineName = uniqueName('bench');
  const engine = await startLocalEngine(stack, engineName);
  const benchId = startedAt.getTime().toString(36);
  const ctx = new BenchContext(stack, engine, options, benchId, log);
  const lines: ReportLine[] = [];
  try {
    for (const section of options.sections) {
      const { title, measure } = SECTION_RUNS[section];
      log(`${section} ...`);
      const sectionStart = performance.now();
      try {
        lines.push(...(await measure(ctx)));
      } catch (error) {
        log(`${section} failed: ${(error as Error).stack ?? error}`);
        lines.push({ id: section, title, notMeasured: (error as Error).message.split('\n')[0] ?? 'failed' });
      }
      log(`${section} done in ${formatMs(performance.now() - sectionStart)}`);
    }
  } finally {
    log('cleaning up (the apps, containers and sites the bench made) ...');
    await ctx.cleanUp().catch((e) => log(`cleanup: ${(e as Error).message}`));
    // The stack's daemons are left running, as the stack tests leave them (`npm run stack down`).
    await engine.stop().catch((e) => log(`engine stop: ${(e as Error).message}`));
    // Its SQLite records and the apps' files on the (local) server: nothing outlives the run.
    await rm(join(stack.stateDir, 'tests', engineName), { recursive: true, force: true });
  }
  return {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    durationMs: Math.round(performance.now() - t0),
    machine: {
      cpus: availableParallelism(),
      memoryBytes: totalmem(),
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
    },
    options: { ...options },
    lines,
  };
}

async function main(): Promise<number> {
  const [mode, domain] = process.argv.slice(2);
  if (mode === REQUEST_LOOP_FLAG && domain) {
    await runRequestLoopChild(domain);
    return 0;
  }
  let options: BenchOptions | 'help';
  try {
    options = parseBenchOptions(process.argv.slice(2), process.env);
  } catch (error) {
    if (
      !(error instanceof UsageError) &&
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') !== true
    )
      throw error;
    process.stderr.write(`bench: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const report = await bench(options);
  const path = await writeReport(options.outDir, report);
  process.stdout.write(
    `\nCloudWady benchmark, ${report.startedAt} (${report.machine.cpus} CPUs, ${formatMs(report.durationMs)})\n\n${renderTable(report.lines)}\n\nHow each line is measured:\n${renderMethods(report.lines)}\n\nWritten to ${path} and latest.json\n`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`bench: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);
