// The README's first command, as a test: the quickstart runs every step on the real local stack,
// and the history it prints is what client.runs.list returns for the app.
import { type Stack, startStack } from '@cloudwady/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUICKSTART_OPERATIONS, runQuickstart } from '../src/quickstart.js';
import { type LocalEngine, startLocalEngine } from '../src/support/local.js';

describe('the quickstart', () => {
  let stack: Stack;
  let engine: LocalEngine;

  beforeAll(async () => {
    stack = await startStack();
    engine = await startLocalEngine(stack);
  });

  afterAll(async () => {
    await engine?.stop();
  });

  it('deploys, updates, rolls back, toggles maintenance and prints the history runs.list returns', async () => {
    const lines: string[] = [];
    const result = await runQuickstart({ log: (line) => lines.push(line), engine });
    const printed = lines.join('\n');

    // What runs.list says now, read independently of the quickstart's own call.
    const { runs } = await engine.client.as({ userId: 'ada' }).runs.list({ appId: result.appId });
    const rows = (list: { operation: string; status: string }[]) =>
      list.map((r) => `${r.operation} ${r.status}`);
    expect(rows(result.history)).toEqual(rows(runs));
    expect(rows(runs)).toEqual(
      [...QUICKSTART_OPERATIONS].reverse().map((operation) => `${operation} completed`),
    );

    // Each history row was printed as a table line (operation, status, user, duration).
    for (const row of result.history) {
      expect(printed).toMatch(
        new RegExp(
          `\\n {2}${row.operation} +${row.status} +${row.user} +${row.duration.replace('.', '\\.')}\\n`,
        ),
      );
    }
    expect(result.history.every((row) => row.user === 'Ada' && /^\d+\.\d s$/.test(row.duration))).toBe(true);

    // The step lines a user reads, live progress from runs.watch, and the Temporal UI links.
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^✓ deployed release rel_\w+ in \d+\.\d s: http:\/\/127\.0\.0\.1:\d+ \(Host: shop-[0-9a-f]{8}\.localhost\)$/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^→ deploying app shop-[0-9a-f]{8} \(build, database, start, route\) \.\.\.$/),
    );
    expect(lines).toContainEqual(expect.stringMatching(/^ {4}✓ Build image \d+\.\d s/));
    expect(lines).toContainEqual(expect.stringMatching(/modules updated: cw_hello\)$/));
    expect(lines).toContainEqual(`Temporal UI: ${stack.temporal.uiUrl}`);
    expect(result.temporalFilterUrl).toBe(
      `${stack.temporal.uiUrl}/namespaces/default/workflows?query=AppId%3D%22${result.appId}%22`,
    );
    expect(printed).toContain(result.temporalFilterUrl);
  }, 600_000);
});
