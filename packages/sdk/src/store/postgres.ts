// PostgreSQL (pg) for several machines sharing one store. The SQL is the same as SQLite's; only
// placeholders (`?` -> `$n`) and 64-bit integers (read as numbers, as SQLite does) differ.
import pg from 'pg';
import type { Driver, Queryable, Row, SqlParam, Transaction } from './driver.js';
import { assertOutsideTransaction, inTransactionOf, normalizeParams, translateStoreError } from './driver.js';

/** `?` -> `$1, $2, ...`, leaving quoted literals alone. */
export function toPostgresPlaceholders(sql: string): string {
  let out = '';
  let n = 0;
  let quoted = false;
  for (const char of sql) {
    if (char === "'") quoted = !quoted;
    if (char === '?' && !quoted) {
      n += 1;
      out += `$${n}`;
    } else {
      out += char;
    }
  }
  return out;
}

const INT8_OID = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format as 'text')) as never,
};

type PgQueryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

function queryable(client: PgQueryable): Queryable {
  const query = async (sql: string, params?: readonly SqlParam[]) => {
    try {
      return await client.query(toPostgresPlaceholders(sql), normalizeParams(params));
    } catch (error) {
      throw translateStoreError(error);
    }
  };
  return {
    async all<T extends Row>(sql: string, params?: readonly SqlParam[]) {
      return (await query(sql, params)).rows as T[];
    },
    async get<T extends Row>(sql: string, params?: readonly SqlParam[]) {
      return (await query(sql, params)).rows[0] as T | undefined;
    },
    async run(sql: string, params?: readonly SqlParam[]) {
      return { changes: (await query(sql, params)).rowCount ?? 0 };
    },
  };
}

const MIGRATION_LOCK_KEY = 0x636c6477; // "cldw": one advisory lock id for schema migrations

export function openPostgres(url: string): Driver {
  const pool = new pg.Pool({ connectionString: url, types, max: 10, connectionTimeoutMillis: 10_000 });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const pooled = queryable(pool);
  const driver: Driver = {
    kind: 'postgres',
    async all(sql, params) {
      assertOutsideTransaction(driver);
      return pooled.all(sql, params);
    },
    async get(sql, params) {
      assertOutsideTransaction(driver);
      return pooled.get(sql, params);
    },
    async run(sql, params) {
      assertOutsideTransaction(driver);
      return pooled.run(sql, params);
    },
    async transaction(work) {
      assertOutsideTransaction(driver);
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw translateStoreError(error);
      }
      const tx: Transaction = { kind: 'postgres', ...queryable(client) };
      try {
        await tx.run('BEGIN');
        const result = await inTransactionOf(driver, () => work(tx));
        await tx.run('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async lockMigrations(tx) {
      await tx.get('SELECT pg_advisory_xact_lock(?) AS locked', [MIGRATION_LOCK_KEY]);
    },
    async close() {
      await pool.end();
    },
  };
  return driver;
}
