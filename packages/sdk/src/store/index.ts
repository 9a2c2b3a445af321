import type { Driver } from './driver.js';
import { migrate } from './migrations.js';
import { openPostgres } from './postgres.js';
import { openSqlite } from './sqlite.js';

export type StoreOptions = { sqlite: string } | { postgres: string };

export type { Driver, Queryable, Row, SqlParam, StoreKind, Transaction } from './driver.js';
export { LATEST_SCHEMA_VERSION, MIGRATIONS, migrate, RECORD_TABLES } from './migrations.js';

export function openDriver(options: StoreOptions): Driver {
  return 'sqlite' in options ? openSqlite(options.sqlite) : openPostgres(options.postgres);
}

/** Opens the store and brings its schema up to date. */
export async function openStore(options: StoreOptions): Promise<Driver> {
  const driver = openDriver(options);
  try {
    await migrate(driver);
    return driver;
  } catch (error) {
    await driver.close().catch(() => {});
    throw error;
  }
}
