// How the CLI prints: aligned tables and "key: value" blocks for people, JSON for scripts.
import { isCloudWadyError } from '../errors.js';

export interface Column<T> {
  header: string;
  value: (row: T) => string;
}

/** Left-aligned columns separated by two spaces, headers in upper case; "(none)" when empty. */
export function formatTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  if (rows.length === 0) return '(none)';
  const cells = [
    columns.map((c) => c.header.toUpperCase()),
    ...rows.map((row) => columns.map((c) => c.value(row))),
  ];
  const widths = columns.map((_, i) => Math.max(...cells.map((line) => (line[i] ?? '').length)));
  return cells
    .map((line) =>
      line
        .map((cell, i) => (i === line.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** "key: value" lines with the values aligned; null and undefined show as "-". */
export function formatFields(fields: readonly (readonly [string, unknown])[]): string {
  const width = Math.max(...fields.map(([key]) => key.length));
  return fields.map(([key, value]) => `${`${key}:`.padEnd(width + 1)} ${show(value)}`).join('\n');
}

function show(value: unknown): string {
  if (value === null || value === undefined || value === '') return '-';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** "850 ms", "14.2 s", "3 min 05 s"; "-" when unknown (a run that has not ended). */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '-';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}

/** An ISO timestamp as "2025-01-31 12:00:05" (UTC), "-" when absent. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '-';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toISOString().slice(0, 19).replace('T', ' ');
}

/** Pretty JSON with a final newline, the one shape `--json` prints. */
export function formatJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** An error as the CLI prints it: its code and message (JSON with --json); never a stack. */
export function formatError(error: unknown, json: boolean): string {
  const code = isCloudWadyError(error) ? error.code : 'operation_failed';
  const message = error instanceof Error ? error.message : String(error);
  if (json) return formatJson({ error: { code, message } });
  return `cloudwady: ${code}: ${message}\n`;
}
