import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { RunEvent } from '@cloudwady/sdk';
import { type Stack, startStack } from '@cloudwady/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createStackApp,
  type LocalEngine,
  resultOf,
  startLocalEngine,
} from '../../../examples/src/support/local.js';

const run = promisify(execFile);

/** Every string and byte array of a decoded protobuf message, as text (bytes read as latin1). */
function rawText(value: unknown): string {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('latin1');
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(rawText).join('\n');
  if (value && typeof value === 'object') return Object.values(value).map(rawText).join('\n');
  return '';
}

// Run history (F26-F28) read back from Temporal: list with filters and paging, a failed run's
// steps and logs, live events, cancel, and a raw history that holds no plaintext secret.
describe('runs on the local stack', () => {
  let stack: Stack;
  let engine: LocalEngine;
  let app: Awaited<ReturnType<typeof createStackApp>>;
  let deployRun: { workflowId: string };
  let failedRun: { workflowId: string };

  beforeAll(async () => {
    stack = await startStack();
    engine = await startLocalEngine(stack);
    app = await createStackApp(engine, stack, { actorName: 'Ada secret-marker-7f3a' });
    const ref = await app.ada.apps.deploy(app.app.id);
    await resultOf(engine, ref);
    deployRun = ref;
    // A restart fails at once when its container is gone (removed behind the platform's back).
    const [container] = (
      await run('docker', ['ps', '-q', '--filter', `label=org.cloudwady.app=${app.app.id}`])
    ).stdout
      .trim()
      .split('\n');
    await run('docker', ['rm', '-f', container as string]);
    const restart = await app.ada.apps.restart(app.app.id);
    await expect(resultOf(engine, restart)).rejects.toThrow();
    failedRun = restart;
  });

  afterAll(async () => {
    await engine?.stop();
  });

  it('lists an app’s runs newest first, filtered by status, operation and time, page by page', async () => {
    const appId = app.app.id;
    const all = await app.ada.runs.list({ appId });
    expect(all.runs.map((r) => [r.operation, r.status])).toEqual([
      ['restart', 'failed'],
      ['deploy', 'completed'],
    ]);
    expect(all.runs[1]?.actor).toEqual({ userId: 'ada', name: 'Ada secret-marker-7f3a' });
    expect(all.runs[1]?.durationMs).toBeGreaterThan(0);
    expect((await app.ada.runs.list({ appId, status: ['failed'] })).runs.map((r) => r.workflowId)).toEqual([
      failedRun.workflowId,
    ]);
    expect((await app.ada.runs.list({ appId, operation: ['deploy'] })).runs.map((r) => r.workflowId)).toEqual(
      [deployRun.workflowId],
    );
    expect((await app.ada.runs.list({ appId, to: '2020-01-01T00:00:00Z' })).runs).toEqual([]);
    const page1 = await app.ada.runs.list({ appId, pageSize: 1 });
    expect(page1.runs).toHaveLength(1);
    expect(page1.nextPageToken).not.toBeNull();
    const page2 = await app.ada.runs.list({ appId, pageSize: 1, pageToken: page1.nextPageToken as string });
    expect([...page1.runs, ...page2.runs].map((r) => r.workflowId).sort()).toEqual(
      [deployRun.workflowId, failedRun.workflowId].sort(),
    );
  });

  it('shows a failed run’s steps with their timing, attempts and the failure in its log', async () => {
    const details = await app.ada.runs.get({ appId: app.app.id, workflowId: failedRun.workflowId });
    expect(details?.status).toBe('failed');
    const restart = details?.steps.find((s) => s.name === 'restartRelease');
    expect(restart?.status).toBe('failed');
    expect(restart?.attempts).toBe(1); // a missing container is not retried
    expect(restart?.failure).toMatch(/does not exist/);
    expect(details?.failure).toMatch(/does not exist/);
    expect(details?.log.join('\n')).toMatch(/Restart service: failed/);
    const deploy = await app.ada.runs.get({ appId: app.app.id, workflowId: deployRun.workflowId });
    const build = deploy?.steps.find((s) => s.name === 'buildImage');
    expect(build?.status).toBe('completed');
    expect(build?.log.length).toBeGreaterThan(0);
    expect(deploy?.steps.every((s) => s.durationMs !== null && s.startedAt !== null)).toBe(true);

    // Retry (F6) runs the failed operation again with its original input.
    expect((await app.ada.apps.get(app.app.id)).state).toBe('error');
    const retried = await app.ada.apps.retry(app.app.id);
    expect(retried?.operation).toBe('restart');
    expect(retried?.workflowId).not.toBe(failedRun.workflowId);
    await expect(app.ada.runs.result(retried as NonNullable<typeof retried>)).rejects.toMatchObject({
      code: 'operation_failed',
    });
  });

  it('streams progress events before the run ends, and cancels a pending run', async () => {
    const redeploy = await app.ada.apps.deploy(app.app.id);
    const queued = await app.ada.apps.enableMaintenance(app.app.id);
    await app.ada.runs.cancel({ appId: app.app.id, workflowId: queued.workflowId });
    const events: RunEvent[] = [];
    for await (const event of app.ada.runs.watch({ appId: app.app.id, workflowId: redeploy.workflowId })) {
      events.push(event);
    }
    const end = events.at(-1);
    expect(end).toMatchObject({ type: 'end', status: 'completed' });
    const steps = events.filter((e) => e.type === 'step');
    expect(steps.length).toBeGreaterThan(3);
    expect(events.some((e) => e.type === 'status' && e.status === 'executing')).toBe(true);
    const details = await app.ada.runs.get({ appId: app.app.id, workflowId: redeploy.workflowId });
    expect(Date.parse(steps[0]?.at ?? '')).toBeLessThan(Date.parse(details?.completedAt ?? ''));
    const canceled = await app.ada.runs.get({ appId: app.app.id, workflowId: queued.workflowId });
    expect(canceled?.status).toBe('canceled');
  });

  it('keeps secrets out of the raw history: payloads are encrypted', async () => {
    const { password } = await app.ada.apps.getAdminPassword(app.app.id);
    const raw = await engine.gateway.client.workflowService.getWorkflowExecutionHistory({
      namespace: 'default',
      execution: { workflowId: deployRun.workflowId },
    });
    // The history as the server serves it, with every bytes field (payload data and metadata)
    // decoded as text: a plaintext secret anywhere in a payload would show in this text.
    const text = rawText(raw.history);
    expect(text.length).toBeGreaterThan(1000);
    expect(text.includes(password.reveal())).toBe(false);
    expect(text.includes('secret-marker-7f3a')).toBe(false);
    expect(text.split('binary/encrypted').length - 1).toBeGreaterThan(5);
    expect(text.includes('Pending')).toBe(true); // search attributes stay readable for the UI
    // ...while the SDK, holding the key, reads it back.
    expect((await app.ada.runs.list({ appId: app.app.id })).runs.at(-1)?.actor.name).toBe(
      'Ada secret-marker-7f3a',
    );
  });
});
