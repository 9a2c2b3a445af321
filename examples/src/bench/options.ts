// Command-line flags and environment of `npm run bench`: every count is configurable so a quick
// run (`--apps 3 --runs 100 --repeat 1`) and the full one share the code.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export const SECTIONS = ['restart', 'rollback', 'load', 'concurrent', 'history'] as const;
export type Section = (typeof SECTIONS)[number];

export interface BenchOptions {
  /** Apps deployed at once on one worker. */
  apps: number;
  /** Runs created on one app before runs.list / runs.get are timed. */
  runs: number;
  /** Timed restarts and rollbacks of each kind (CloudWady and bare, interleaved). */
  repeat: number;
  /** Timed calls of each runs.list / runs.get kind. */
  samples: number;
  /**
   * Pause between /web/health attempts of the bare baselines: a tight loop by hand (the engine's
   * waitHealthy polls every 1 s, which is then part of what the engine costs).
   */
  healthIntervalMs: number;
  /** The concurrent deploys stop being waited for after this long (the rest is canceled). */
  deadlineMinutes: number;
  /** Runs created at once (each run still waits for its app's turn). */
  startConcurrency: number;
  sections: Section[];
  outDir: string;
}

export const USAGE = `Usage: npm run bench -- [options]   (or node examples/dist/bench.js [options])

  --apps N               apps deployed concurrently on one worker   (env BENCH_APPS, default 20)
  --runs N               runs on the app whose history is listed    (env BENCH_RUNS, default 1000)
  --repeat N             timed restarts / rollbacks of each kind    (env BENCH_REPEAT, default 3)
  --samples N            timed runs.list / runs.get calls per kind  (env BENCH_SAMPLES, default 20)
  --health-interval-ms N bare baselines' /web/health poll interval  (env BENCH_HEALTH_INTERVAL_MS, default 100)
  --deadline-minutes N   stop waiting for the concurrent deploys    (env BENCH_DEADLINE_MINUTES, default 5)
  --start-concurrency N  SDK calls at once creating the runs        (env BENCH_START_CONCURRENCY, default 16)
  --only a,b             only these sections, of: ${SECTIONS.join(', ')} (env BENCH_ONLY)
  --out DIR              results directory                          (env BENCH_OUT, default bench/results)
  -h, --help`;

export class UsageError extends Error {}

function count(name: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer >= ${min}`);
  return n;
}

function sections(text: string | undefined): Section[] {
  if (text === undefined || text === '') return [...SECTIONS];
  const names = text.split(',').map((s) => s.trim());
  const unknown = names.filter((s) => !(SECTIONS as readonly string[]).includes(s));
  if (unknown.length > 0) throw new UsageError(`unknown section ${unknown.join(', ')}`);
  return names as Section[];
}

/** The repository root, found upwards from this module (src/bench/ or the bundled dist/). */
export function repositoryRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from, depth = 0; depth < 6; dir = dirname(dir), depth++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'packages'))) return dir;
  }
  return process.cwd();
}

export function parseBenchOptions(
  argv: string[],
  env: Record<string, string | undefined>,
): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      apps: { type: 'string' },
      runs: { type: 'string' },
      repeat: { type: 'string' },
      samples: { type: 'string' },
      'health-interval-ms': { type: 'string' },
      'start-concurrency': { type: 'string' },
      'deadline-minutes': { type: 'string' },
      only: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  return {
    apps: count('apps', values.apps ?? env.BENCH_APPS, 20, 1),
    runs: count('runs', values.runs ?? env.BENCH_RUNS, 1000, 1),
    repeat: count('repeat', values.repeat ?? env.BENCH_REPEAT, 3, 1),
    samples: count('samples', values.samples ?? env.BENCH_SAMPLES, 20, 1),
    healthIntervalMs: count(
      'health-interval-ms',
      values['health-interval-ms'] ?? env.BENCH_HEALTH_INTERVAL_MS,
      100,
      10,
    ),
    deadlineMinutes: count(
      'deadline-minutes',
      values['deadline-minutes'] ?? env.BENCH_DEADLINE_MINUTES,
      5,
      1,
    ),
    startConcurrency: count(
      'start-concurrency',
      values['start-concurrency'] ?? env.BENCH_START_CONCURRENCY,
      16,
      1,
    ),
    sections: sections(values.only ?? env.BENCH_ONLY),
    outDir: resolve(values.out ?? env.BENCH_OUT ?? join(repositoryRoot(), 'bench', 'results')),
  };
}
