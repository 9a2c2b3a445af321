// The run history as the quickstart prints it (operation, status, user, duration), and the
// Temporal UI links that show the same runs.
import type { RunSummary } from '@cloudwady/sdk';
import { seconds } from './progress.js';

export interface HistoryRow {
  operation: string;
  status: string;
  user: string;
  duration: string;
}

export function historyRows(runs: readonly RunSummary[]): HistoryRow[] {
  return runs.map((run) => ({
    operation: run.operation,
    status: run.status,
    user: run.actor.name ?? run.actor.userId,
    duration: run.durationMs === null ? '-' : seconds(run.durationMs),
  }));
}

const HEADERS: HistoryRow = { operation: 'OPERATION', status: 'STATUS', user: 'USER', duration: 'DURATION' };

/** An aligned text table, one line per run, newest first (as runs.list returns them). */
export function historyTable(rows: readonly HistoryRow[]): string[] {
  const keys = Object.keys(HEADERS) as (keyof HistoryRow)[];
  const all = [HEADERS, ...rows];
  const width = (key: keyof HistoryRow) => Math.max(...all.map((row) => row[key].length));
  return all.map((row) =>
    keys
      .map((key, i) => (i === keys.length - 1 ? row[key].padStart(width(key)) : row[key].padEnd(width(key))))
      .join('  '),
  );
}

/** The Temporal Web UI's list of this app's runs (AppId is a search attribute of every run). */
export function temporalFilterUrl(uiUrl: string, appId: string, namespace = 'default'): string {
  const query = encodeURIComponent(`AppId="${appId}"`);
  return `${uiUrl}/namespaces/${namespace}/workflows?query=${query}`;
}
