// The store suites on SQLite (a temporary file per run). The same suites run on PostgreSQL in
// store.postgres.stack.test.ts.
import { afterAll, describe } from 'vitest';
import { enforcementSuite } from './suites/enforcement.suite.js';
import { fuzzSuite } from './suites/fuzz.suite.js';
import { recordsSuite } from './suites/records.suite.js';
import { secretsSuite } from './suites/secrets.suite.js';
import { storeSuite } from './suites/store.suite.js';
import { sqliteTarget } from './support/targets.js';

describe('SQLite store', () => {
  const target = sqliteTarget();
  afterAll(() => target.close());
  storeSuite(() => target);
  recordsSuite(() => target);
  enforcementSuite(() => target);
  secretsSuite(() => target);
  fuzzSuite(() => target);
});
