// CloudWady.connect options, from code or environment variables, validated before anything
// opens. SQLite needs no set-up at all: without a key, one is generated into a 0600 file beside
// the database. PostgreSQL is shared by several machines, so they must be given the same key.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { type AccessPolicy, DEFAULT_ACCESS_POLICY } from './access/index.js';
import { parse } from './context.js';
import { ValidationError } from './errors.js';
import { NO_OPERATIONS, type OperationGateway } from './operations.js';
import { accessPolicyInputSchema } from './schemas/projects.js';
import { generateSecretKey, parseSecretKey } from './secrets.js';
import type { StoreOptions } from './store/index.js';

const postgresUrlSchema = z
  .string()
  .regex(/^postgres(ql)?:\/\/\S+$/, { error: 'expected a postgres:// or postgresql:// URL' });

export const connectOptionsSchema = z.strictObject({
  /** `{ sqlite: path }` (":memory:" allowed) or `{ postgres: url }`. Env: CLOUDWADY_DATABASE_URL. */
  store: z
    .union([
      z.strictObject({ sqlite: z.string().min(1, { error: 'expected a file path or ":memory:"' }) }),
      z.strictObject({ postgres: postgresUrlSchema }),
    ])
    .optional(),
  /** Base64 of 32 random bytes (`openssl rand -base64 32`). Env: CLOUDWADY_SECRET_KEY. */
  secretKey: z.string().optional(),
  /** The default policy of projects without their own. */
  accessPolicy: accessPolicyInputSchema.optional(),
  /** The operations engine (e.g. from @cloudwady/worker). Without it, operations are NotAvailable. */
  operations: z
    .custom<OperationGateway>(
      (value) =>
        typeof value === 'object' &&
        value !== null &&
        typeof (value as OperationGateway).start === 'function',
      { error: 'expected an OperationGateway: an object with a start(request) method' },
    )
    .optional(),
});
export type ConnectOptions = z.input<typeof connectOptionsSchema>;

export interface ResolvedOptions {
  store: StoreOptions;
  secretKey: Buffer;
  accessPolicy: AccessPolicy;
  operations: OperationGateway;
}

/** Where the zero-set-up SQLite file lives: $XDG_DATA_HOME/cloudwady, else ~/.local/share/cloudwady. */
export function defaultSqlitePath(env: NodeJS.ProcessEnv = process.env): string {
  const dataHome = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(dataHome, 'cloudwady', 'cloudwady.db');
}

function storeFromEnv(env: NodeJS.ProcessEnv): StoreOptions | undefined {
  const url = env.CLOUDWADY_DATABASE_URL?.trim();
  if (!url) return undefined;
  if (/^postgres(ql)?:\/\//.test(url)) return { postgres: url };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    throw ValidationError.forField(
      ['CLOUDWADY_DATABASE_URL'],
      'CLOUDWADY_DATABASE_URL must be a SQLite file path or a postgres:// URL.',
    );
  }
  return { sqlite: url };
}

/** The key file of a SQLite store: beside the database, readable by its owner only. */
export function secretKeyPathFor(sqlitePath: string): string {
  return `${resolve(sqlitePath)}.secret-key`;
}

function sqliteSecretKey(sqlitePath: string): Buffer {
  if (sqlitePath === ':memory:') return generateSecretKey(); // nothing outlives the process
  const path = secretKeyPathFor(sqlitePath);
  try {
    return parseSecretKey(readFileSync(path, 'utf8'), [path]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dirname(path), { recursive: true });
  try {
    // 'wx': never overwrite a key another process just wrote (its secrets would not open).
    writeFileSync(path, `${generateSecretKey().toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return parseSecretKey(readFileSync(path, 'utf8'), [path]);
}

export function resolveOptions(options: unknown = {}, env: NodeJS.ProcessEnv = process.env): ResolvedOptions {
  const fields = parse(connectOptionsSchema, options, 'CloudWady.connect options');
  const store = fields.store ?? storeFromEnv(env) ?? { sqlite: defaultSqlitePath(env) };
  const keyText = fields.secretKey ?? env.CLOUDWADY_SECRET_KEY;
  let secretKey: Buffer;
  if (keyText !== undefined && keyText !== '') {
    secretKey = parseSecretKey(
      keyText,
      fields.secretKey !== undefined ? ['secretKey'] : ['CLOUDWADY_SECRET_KEY'],
    );
  } else if ('sqlite' in store) {
    secretKey = sqliteSecretKey(store.sqlite);
  } else {
    throw ValidationError.forField(
      ['secretKey'],
      'A PostgreSQL store needs a secret key shared by every machine: pass secretKey or set CLOUDWADY_SECRET_KEY (openssl rand -base64 32).',
    );
  }
  return {
    store,
    secretKey,
    accessPolicy: fields.accessPolicy ?? DEFAULT_ACCESS_POLICY,
    operations: fields.operations ?? NO_OPERATIONS,
  };
}
