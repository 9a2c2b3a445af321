// Where a suite's store lives. The same suites run on SQLite (temporary files) and on the real
// PostgreSQL of the local stack (a fresh database per run, dropped afterwards).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { ConnectOptions } from '../../src/index.js';
import { openDriver, type StoreOptions } from '../../src/store/index.js';
import { type Dump, dumpStore } from './dump.js';

export interface StoreTarget {
  readonly name: 'sqlite' | 'postgres';
  /** Store options for a new client on this target's database. */
  store(): StoreOptions;
  /** Connect options (store + a fixed secret key), plus extras. */
  options(extra?: Omit<ConnectOptions, 'store' | 'secretKey'>): ConnectOptions;
  /** A full dump of every table, through a separate connection. */
  dump(): Promise<Dump>;
  /** A second, independent store on the same kind of database (for migration tests). */
  fresh(): Promise<StoreOptions>;
  close(): Promise<void>;
}

export const TEST_SECRET_KEY = randomBytes(32).toString('base64');

async function dumpOf(store: StoreOptions): Promise<Dump> {
  const driver = openDriver(store);
  try {
    return await dumpStore(driver);
  } finally {
    await driver.close();
  }
}

export function sqliteTarget(): StoreTarget {
  const dir = mkdtempSync(join(tmpdir(), 'cloudwady-sdk-'));
  const store = { sqlite: join(dir, 'records.db') };
  let n = 0;
  return {
    name: 'sqlite',
    store: () => store,
    options: (extra = {}) => ({ ...extra, store, secretKey: TEST_SECRET_KEY }),
    dump: () => dumpOf(store),
    fresh: async () => ({ sqlite: join(dir, `fresh-${++n}.db`) }),
    close: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** A fresh database on the server at `adminUrl`; fails (never skips) when PostgreSQL is unreachable. */
export async function postgresTarget(adminUrl: string): Promise<StoreTarget> {
  const created: string[] = [];
  const admin = async <T>(work: (client: pg.Client) => Promise<T>) => {
    const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  const createDatabase = async () => {
    const name = `cloudwady_sdk_test_${randomBytes(6).toString('hex')}`;
    await admin((client) => client.query(`CREATE DATABASE ${name}`));
    created.push(name);
    return { postgres: withDatabase(adminUrl, name) };
  };
  const store = await createDatabase();
  return {
    name: 'postgres',
    store: () => store,
    options: (extra = {}) => ({ ...extra, store, secretKey: TEST_SECRET_KEY }),
    dump: () => dumpOf(store),
    fresh: createDatabase,
    close: async () => {
      await admin(async (client) => {
        for (const name of created) await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      });
    },
  };
}
