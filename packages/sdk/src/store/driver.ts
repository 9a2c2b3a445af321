// The query layer both stores implement: async, `?` placeholders, portable SQL. Booleans are
// written as 0/1 and JSON as text, so rows read back the same from SQLite and PostgreSQL.
import { AsyncLocalStorage } from 'node:async_hooks';
import { ConflictError, OperationFailedError } from '../errors.js';

export type SqlParam = string | number | boolean | null;
export type Row = Record<string, unknown>;

export interface Queryable {
  all<T extends Row = Row>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
  get<T extends Row = Row>(sql: string, params?: readonly SqlParam[]): Promise<T | undefined>;
  run(sql: string, params?: readonly SqlParam[]): Promise<{ changes: number }>;
}

export interface Transaction extends Queryable {
  readonly kind: StoreKind;
}

export type StoreKind = 'sqlite' | 'postgres';

export interface Driver extends Queryable {
  readonly kind: StoreKind;
  /** Runs `work` in one transaction: all its writes commit together or none do. */
  transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T>;
  /** Serialises schema migrations between processes sharing the database. */
  lockMigrations(tx: Transaction): Promise<void>;
  close(): Promise<void>;
}

export function normalizeParams(params: readonly SqlParam[] = []): (string | number | null)[] {
  return params.map((value) => (typeof value === 'boolean' ? (value ? 1 : 0) : value));
}

/**
 * Maps a database error to the SDK's errors: a unique violation is a conflict (the repositories
 * check first and say which field; this is the backstop for concurrent writers), anything else
 * is a store failure whose message never includes parameters.
 */
export function translateStoreError(error: unknown): Error {
  if (error instanceof ConflictError || error instanceof OperationFailedError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return new ConflictError(
      'Another record already holds this unique value: read the current records and retry.',
      {
        constraint: constraintOf(error),
      },
    );
  }
  return new OperationFailedError(
    `The store failed: ${(error as Error)?.message ?? String(error)}. Check that the database is reachable and migrated.`,
    { storeCode: typeof code === 'string' ? code : undefined },
    { cause: error },
  );
}

function constraintOf(error: unknown): string | undefined {
  const pg = (error as { constraint?: unknown }).constraint;
  if (typeof pg === 'string') return pg;
  const match = /UNIQUE constraint failed: (.+)$/.exec((error as Error).message ?? '');
  return match?.[1];
}

const openTransactions = new AsyncLocalStorage<object>();

/** Runs `work` marked as inside a transaction of `driver`. */
export function inTransactionOf<T>(driver: object, work: () => Promise<T>): Promise<T> {
  return openTransactions.run(driver, work);
}

/**
 * Refuses a query on the driver itself from inside one of its transactions: on SQLite it would
 * wait forever for the transaction's lock, on PostgreSQL it would not see the transaction's rows.
 * Code inside a transaction must use the transaction handle.
 */
export function assertOutsideTransaction(driver: object): void {
  if (openTransactions.getStore() === driver) {
    throw new OperationFailedError(
      'Internal error: the store was queried outside the open transaction; please report it.',
    );
  }
}
