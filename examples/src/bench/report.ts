// What the benchmark reports: one line per measurement (CloudWady vs the bare tool doing the same
// work, in the same run), printed as a table and written as JSON.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface Line {
  /** Stable key for tools reading the JSON, e.g. "restart". */
  id: string;
  /** What is measured, as printed in the table. */
  title: string;
  /** CloudWady's figure as printed. */
  engine: string;
  /** The bare tool's figure as printed ('' when the line has no baseline). */
  bare: string;
  /** engine / bare on the compared statistic (null when there is no baseline). */
  ratio: number | null;
  /** How it was measured, in one or two sentences. */
  method: string;
  /** The raw numbers (milliseconds, bytes, counts). */
  data: Record<string, unknown>;
}

export interface NotMeasured {
  id: string;
  title: string;
  notMeasured: string;
}

export type ReportLine = Line | NotMeasured;

export const isMeasured = (line: ReportLine): line is Line => !('notMeasured' in line);

export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  machine: { cpus: number; memoryBytes: number; node: string; platform: string };
  options: Record<string, unknown>;
  lines: ReportLine[];
}

/** The table: measurement | CloudWady | bare tool | ratio, columns padded to their widest cell. */
export function renderTable(lines: readonly ReportLine[]): string {
  const rows = [
    ['measurement', 'CloudWady', 'bare tool', 'ratio'],
    ...lines.map((line) =>
      isMeasured(line)
        ? [line.title, line.engine, line.bare, line.ratio === null ? '' : `${line.ratio.toFixed(2)}x`]
        : [line.title, `not measured: ${line.notMeasured}`, '', ''],
    ),
  ];
  const widths = [0, 1, 2, 3].map((col) => Math.max(...rows.map((row) => (row[col] ?? '').length)));
  const format = (row: string[]) =>
    `| ${row.map((cell, col) => cell.padEnd(widths[col] ?? 0)).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  const [head, ...body] = rows;
  return [format(head as string[]), rule, ...body.map(format)].join('\n');
}

/** "- restart: <method>" for every measured line. */
export function renderMethods(lines: readonly ReportLine[]): string {
  return lines
    .filter(isMeasured)
    .map((line) => `- ${line.title}: ${line.method}`)
    .join('\n');
}

/** bench/results/<timestamp>.json and bench/results/latest.json; returns the first path. */
export async function writeReport(dir: string, report: BenchReport): Promise<string> {
  await mkdir(dir, { recursive: true });
  const stamp = report.startedAt.replace(/[:.]/g, '-');
  const text = `${JSON.stringify(report, null, 2)}\n`;
  const path = join(dir, `${stamp}.json`);
  await writeFile(path, text);
  await writeFile(join(dir, 'latest.json'), text);
  return path;
}
