// Embedded SQLite (better-sqlite3). The library is synchronous on one connection, so an async
// transaction must hold a lock: without it, another call awaiting in between would run inside
// the open transaction and commit or roll back with it. Drivers opened on the same file in one
// process share one connection and lock: two connections would wait for each other's write lock
// synchronously, blocking the very event loop that would release it.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { Driver, Queryable, Row, SqlParam, Transaction } from './driver.js';
import { assertOutsideTransaction, inTransactionOf, normalizeParams, translateStoreError } from './driver.js';

class Lock {
  #tail: Promise<void> = Promise.resolve();

  async hold<T>(work: () => Promise<T>): Promise<T> {
    const previous = this.#tail;
    let release!: () => void;
    this.#tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    try {
      return await work();
    } finally {
      release();
    }
  }
}

function queryable(db: Database.Database): Queryable {
  const cache = new Map<string, Database.Statement>();
  const statement = (sql: string) => {
    let stmt = cache.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql);
      cache.set(sql, stmt);
    }
    return stmt;
  };
  const attempt = <T>(work: () => T): T => {
    try {
      return work();
    } catch (error) {
      throw translateStoreError(error);
    }
  };
  return {
    async all<T extends Row>(sql: string, params?: readonly SqlParam[]) {
      return attempt(() => statement(sql).all(...normalizeParams(params)) as T[]);
    },
    async get<T extends Row>(sql: string, params?: readonly SqlParam[]) {
      return attempt(() => statement(sql).get(...normalizeParams(params)) as T | undefined);
    },
    async run(sql: string, params?: readonly SqlParam[]) {
      return attempt(() => {
        const stmt = statement(sql);
        if (stmt.reader) return { changes: stmt.all(...normalizeParams(params)).length };
        return { changes: stmt.run(...normalizeParams(params)).changes };
      });
    },
  };
}

interface Connection {
  db: Database.Database;
  lock: Lock;
  direct: Queryable;
  users: number;
}

const connections = new Map<string, Connection>();

function connect(path: string): Connection {
  const key = path === ':memory:' ? null : resolve(path);
  const existing = key ? connections.get(key) : undefined;
  if (existing) {
    existing.users += 1;
    return existing;
  }
  try {
    if (key) mkdirSync(dirname(key), { recursive: true });
    const db = new Database(key ?? ':memory:');
    if (key) db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    const connection = { db, lock: new Lock(), direct: queryable(db), users: 1 };
    if (key) connections.set(key, connection);
    return connection;
  } catch (error) {
    throw translateStoreError(error);
  }
}

function release(path: string, connection: Connection): void {
  connection.users -= 1;
  if (connection.users > 0) return;
  if (path !== ':memory:') connections.delete(resolve(path));
  connection.db.close();
}

export function openSqlite(path: string): Driver {
  const connection = connect(path);
  const { db, lock, direct } = connection;
  const tx: Transaction = { kind: 'sqlite', ...direct };
  const exec = (sql: string) => {
    try {
      db.exec(sql);
    } catch (error) {
      throw translateStoreError(error);
    }
  };
  // Every use of the connection waits for the lock, and never from inside one of its transactions.
  async function outside<T>(work: () => Promise<T>): Promise<T> {
    assertOutsideTransaction(connection);
    return lock.hold(work);
  }
  let closed = false;
  return {
    kind: 'sqlite',
    all: (sql, params) => outside(() => direct.all(sql, params)),
    get: (sql, params) => outside(() => direct.get(sql, params)),
    run: (sql, params) => outside(() => direct.run(sql, params)),
    transaction: (work) =>
      outside(async () => {
        // IMMEDIATE takes the write lock up front, so two processes on one file wait
        // (busy_timeout) instead of deadlocking on a read-to-write upgrade.
        exec('BEGIN IMMEDIATE');
        try {
          const result = await inTransactionOf(connection, () => work(tx));
          exec('COMMIT');
          return result;
        } catch (error) {
          if (db.inTransaction) exec('ROLLBACK');
          throw error;
        }
      }),
    lockMigrations: async () => {}, // BEGIN IMMEDIATE already excludes other writers
    close: () =>
      outside(async () => {
        if (closed) return;
        closed = true;
        release(path, connection);
      }),
  };
}
