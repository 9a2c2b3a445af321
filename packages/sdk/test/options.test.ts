// CloudWady.connect options from code or environment variables.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudWady,
  DEFAULT_ACCESS_POLICY,
  NO_OPERATIONS,
  resolveOptions,
  secretKeyPathFor,
  ValidationError,
} from '@cloudwady/sdk';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'cloudwady-options-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const KEY = Buffer.alloc(32, 7).toString('base64');

describe('options', () => {
  it('reads the store and key from the environment', () => {
    const pg = resolveOptions(
      {},
      { CLOUDWADY_DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db', CLOUDWADY_SECRET_KEY: KEY },
    );
    expect(pg.store).toEqual({ postgres: 'postgres://u:p@127.0.0.1:5432/db' });
    expect(pg.secretKey.equals(Buffer.alloc(32, 7))).toBe(true);
    expect(pg.accessPolicy).toEqual(DEFAULT_ACCESS_POLICY);
    expect(pg.operations).toBe(NO_OPERATIONS);
    const file = resolveOptions(
      {},
      { CLOUDWADY_DATABASE_URL: join(dir, 'env.db'), CLOUDWADY_SECRET_KEY: KEY },
    );
    expect(file.store).toEqual({ sqlite: join(dir, 'env.db') });
    const code = resolveOptions(
      { store: { sqlite: ':memory:' }, secretKey: KEY },
      { CLOUDWADY_DATABASE_URL: 'postgres://x/y' },
    );
    expect(code.store).toEqual({ sqlite: ':memory:' });
    expect(resolveOptions({}, { XDG_DATA_HOME: dir, CLOUDWADY_SECRET_KEY: KEY }).store).toEqual({
      sqlite: join(dir, 'cloudwady', 'cloudwady.db'),
    });
  });

  it('generates a SQLite key once, into a 0600 file beside the database', () => {
    const db = join(dir, 'nested', 'records.db');
    const first = resolveOptions({ store: { sqlite: db } }, {});
    const path = secretKeyPathFor(db);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8').trim()).toBe(first.secretKey.toString('base64'));
    expect(resolveOptions({ store: { sqlite: db } }, {}).secretKey.equals(first.secretKey)).toBe(true);
  });

  it('refuses a PostgreSQL store without a shared key, bad keys, bad URLs and unknown options', () => {
    const cases: [unknown, NodeJS.ProcessEnv][] = [
      [{ store: { postgres: 'postgres://u@h/db' } }, {}],
      [{ store: { sqlite: ':memory:' }, secretKey: 'short' }, {}],
      [{}, { CLOUDWADY_DATABASE_URL: 'mysql://h/db', CLOUDWADY_SECRET_KEY: KEY }],
      [{}, { CLOUDWADY_DATABASE_URL: join(dir, 'x.db'), CLOUDWADY_SECRET_KEY: 'bad' }],
      [{ store: { postgres: 'http://h/db' }, secretKey: KEY }, {}],
      [{ store: { sqlite: ':memory:' }, secretKey: KEY, operations: {} }, {}],
      [
        {
          store: { sqlite: ':memory:' },
          secretKey: KEY,
          accessPolicy: { developerPlusByEnvironment: { development: 'root' } },
        },
        {},
      ],
      [{ stor: {} }, {}],
      ['postgres://h/db', {}],
    ];
    for (const [options, env] of cases) {
      expect(() => resolveOptions(options, env), JSON.stringify(options)).toThrow(ValidationError);
    }
    const error = (() => {
      try {
        resolveOptions({ store: { postgres: 'postgres://u@h/db' } }, {});
      } catch (e) {
        return e as ValidationError;
      }
    })();
    expect(error?.message).toMatch(/CLOUDWADY_SECRET_KEY/);
  });

  it('connects to an in-memory store and closes', async () => {
    const client = await CloudWady.connect({ store: { sqlite: ':memory:' } });
    expect(client.storeKind).toBe('sqlite');
    expect(JSON.stringify(client)).toBe('{"actor":null,"store":"sqlite"}');
    const alice = client.as({ userId: 'alice' });
    expect(alice.actor).toEqual({ userId: 'alice' });
    expect(Object.isFrozen(alice.actor)).toBe(true);
    await client.close();
  });
});
