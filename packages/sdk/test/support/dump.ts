// A full dump of the store: every row of every table, in a stable order, to compare before/after.

import type { Driver } from '../../src/store/driver.js';
import { RECORD_TABLES } from '../../src/store/index.js';

export type Dump = Record<string, string[]>;

export async function dumpStore(driver: Driver): Promise<Dump> {
  const dump: Dump = {};
  for (const table of [...RECORD_TABLES, 'schema_migrations']) {
    const rows = await driver.all(`SELECT * FROM ${table}`);
    dump[table] = rows.map((row) => JSON.stringify(row, Object.keys(row).sort())).sort();
  }
  return dump;
}

/** Total number of rows (to make sure a comparison compared something). */
export const rowCount = (dump: Dump) => Object.values(dump).reduce((sum, rows) => sum + rows.length, 0);
