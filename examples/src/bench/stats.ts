// Pure numbers of the benchmark: timings, percentiles, ratios and how they are printed.

export interface Summary {
  n: number;
  min: number;
  p50: number;
  p95: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentile (p in 0..100) of a non-empty list; NaN for an empty one. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

export function summarize(values: readonly number[]): Summary {
  const n = values.length;
  return {
    n,
    min: n === 0 ? Number.NaN : Math.min(...values),
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    max: n === 0 ? Number.NaN : Math.max(...values),
    mean: n === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / n,
  };
}

/** engine / bare, rounded to two decimals (how many times the bare tool's time). */
export function ratio(engine: number, bare: number): number {
  return Math.round((engine / bare) * 100) / 100;
}

/** Milliseconds since `started` (performance.now()), to a tenth of a millisecond. */
export function since(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}

/** Runs `work` and returns how long it took with its value. */
export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: since(started), value };
}

/** 850 -> "850 ms", 1520 -> "1.52 s", 95000 -> "95.0 s". */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  if (ms < 1000) return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
  return ms < 10_000 ? `${(ms / 1000).toFixed(2)} s` : `${(ms / 1000).toFixed(1)} s`;
}

export function formatBytes(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MiB`;
}

/** "1.52 s p50, 1.80 s p95 (n=3)". */
export function formatSummary(s: Summary): string {
  return s.n === 1 ? formatMs(s.p50) : `${formatMs(s.p50)} p50, ${formatMs(s.p95)} p95 (n=${s.n})`;
}
