// Small helpers shared by the repositories: column conversions and partial updates.
import type { Queryable, Row, SqlParam } from '../store/driver.js';

/** 0/1 (both databases) to boolean. */
export const bool = (value: unknown): boolean => Number(value) === 1;

export const str = (value: unknown): string => String(value);

export const strOrNull = (value: unknown): string | null =>
  value === null || value === undefined ? null : String(value);

export const numOrNull = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);

export const json = <T>(value: unknown): T => JSON.parse(String(value)) as T;

/**
 * `UPDATE table SET col = ?, ... WHERE key = ?` for the given columns. Column names come from the
 * repositories' own constants, never from input.
 */
export async function updateColumns(
  q: Queryable,
  table: string,
  where: Record<string, SqlParam>,
  columns: Record<string, SqlParam | undefined>,
): Promise<number> {
  const set = Object.entries(columns).filter(([, value]) => value !== undefined) as [string, SqlParam][];
  if (set.length === 0) return 0;
  const conditions = Object.entries(where);
  const sql = `UPDATE ${table} SET ${set.map(([column]) => `${column} = ?`).join(', ')} WHERE ${conditions
    .map(([column]) => `${column} = ?`)
    .join(' AND ')}`;
  const { changes } = await q.run(sql, [
    ...set.map(([, value]) => value),
    ...conditions.map(([, value]) => value),
  ]);
  return changes;
}

export async function insertRow(
  q: Queryable,
  table: string,
  columns: Record<string, SqlParam>,
): Promise<void> {
  const names = Object.keys(columns);
  await q.run(
    `INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`,
    Object.values(columns),
  );
}

export type { Queryable, Row };
