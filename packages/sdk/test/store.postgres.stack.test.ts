// The store suites on the real PostgreSQL of the local stack (or CLOUDWADY_TEST_POSTGRES_URL):
// a fresh database per run, dropped afterwards. Fails, never skips, when PostgreSQL is not reachable.
import { type Stack, startStack } from '@cloudwady/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enforcementSuite } from './suites/enforcement.suite.js';
import { fuzzSuite } from './suites/fuzz.suite.js';
import { recordsSuite } from './suites/records.suite.js';
import { secretsSuite } from './suites/secrets.suite.js';
import { storeSuite } from './suites/store.suite.js';
import { postgresTarget, type StoreTarget } from './support/targets.js';

describe('PostgreSQL store', () => {
  let stack: Stack | undefined;
  let target: StoreTarget | undefined;
  let unreachable: unknown;

  // A failure here is kept and thrown by every test (a failed beforeAll would only skip them).
  beforeAll(async () => {
    try {
      let url = process.env.CLOUDWADY_TEST_POSTGRES_URL;
      if (!url) {
        stack = await startStack({ services: ['postgres'] });
        url = stack.postgres.url;
      }
      target = await postgresTarget(url);
    } catch (error) {
      unreachable = error;
    }
  });
  afterAll(async () => {
    await target?.close();
    await stack?.stop();
  });

  const current = () => {
    if (!target) throw new Error(`PostgreSQL is not reachable: ${String(unreachable)}`);
    return target;
  };

  it('reaches PostgreSQL', () => {
    expect(unreachable).toBeUndefined();
    expect(current().name).toBe('postgres');
  });
  storeSuite(current);
  recordsSuite(current);
  enforcementSuite(current);
  secretsSuite(current);
  fuzzSuite(current);
});
