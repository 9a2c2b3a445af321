import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../src/index.js';

describe('local stack: PostgreSQL', () => {
  let stack: Stack;
  let client: pg.Client;

  beforeAll(async () => {
    stack = await startStack({ services: ['postgres'] });
    client = new pg.Client({ connectionString: stack.postgres.url });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
    await stack?.stop();
  });

  it('logs in as the stack superuser over loopback', async () => {
    expect(stack.postgres).toMatchObject({
      host: '127.0.0.1',
      port: stack.ports.postgres,
      user: 'cloudwady',
    });
    const { rows } = await client.query<{ one: number; superuser: boolean }>(
      "select 1 as one, current_setting('is_superuser') = 'on' as superuser",
    );
    expect(rows).toEqual([{ one: 1, superuser: true }]);
  });

  it('refuses a wrong password', async () => {
    const intruder = new pg.Client({ ...stack.postgres, password: 'wrong', connectionString: undefined });
    await expect(intruder.connect()).rejects.toThrow(/password authentication failed/);
    await intruder.end().catch(() => {});
  });

  it('creates and drops a database', async () => {
    const name = `cwtest_${randomBytes(4).toString('hex')}`;
    const exists = async () =>
      (await client.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1;
    await client.query(`create database ${name}`);
    expect(await exists()).toBe(true);
    await client.query(`drop database ${name}`);
    expect(await exists()).toBe(false);
  });
});
