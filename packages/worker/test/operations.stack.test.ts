import { ValidationError } from '@cloudwady/sdk';
import { addonFiles, type Stack, startStack } from '@cloudwady/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createStackApp,
  getThroughProxy,
  type LocalEngine,
  requestLoop,
  resultOf,
  startLocalEngine,
} from '../../../examples/src/support/local.js';

// App operations as durable workflows on the real stack: Temporal runs them through a real worker,
// which builds and runs the app on the SSH host's Docker Engine and routes it through nginx.
describe('app operations on the local stack', () => {
  let stack: Stack;
  let engine: LocalEngine;

  beforeAll(async () => {
    stack = await startStack();
    engine = await startLocalEngine(stack);
  });

  afterAll(async () => {
    await engine?.stop();
  });

  it('deploy, update, restart, updateConfig, maintenance, rollback, with no failed request', async () => {
    const { ada, app, domain, repository } = await createStackApp(engine, stack);

    const first = await resultOf<{ releaseId: string; built: boolean }>(
      engine,
      await ada.apps.deploy(app.id),
    );
    expect(first.built).toBe(true);
    expect((await ada.apps.get(app.id)).state).toBe('deployed');
    const served = await getThroughProxy(stack, domain);
    expect(served.status).toBe(200);
    expect(served.release).toBe(first.releaseId);
    expect(served.body).toContain('cw_hello');

    // Update with a module change: -u behind the maintenance page, then the new release serves.
    await repository.commit('Bump cw_hello', addonFiles('cw_hello', '17.0.1.1.0'));
    const updated = await resultOf<{ releaseId: string; updatedModules: string[] }>(
      engine,
      await ada.apps.update(app.id),
    );
    expect(updated.updatedModules).toEqual(['cw_hello']);
    const afterUpdate = await getThroughProxy(stack, domain);
    expect(afterUpdate.release).toBe(updated.releaseId);
    expect(afterUpdate.body).toContain('17.0.1.1.0');

    // Update without module changes (a new file outside any module) and a rollback, under load:
    // the new release starts beside the serving one, so no request fails.
    const loop = requestLoop(stack, domain);
    await repository.commit('Docs only', { 'README.md': 'Shop addons\n' });
    const quiet = await resultOf<{ releaseId: string; updatedModules: string[] }>(
      engine,
      await ada.apps.update(app.id),
    );
    expect(quiet.updatedModules).toEqual([]);
    const rolledBack = await resultOf<{ releaseId: string }>(
      engine,
      await ada.apps.rollback(app.id, { releaseId: first.releaseId }),
    );
    const seen = await loop.stop();
    expect(seen.failed).toEqual([]);
    expect(seen.ok).toBeGreaterThan(10);
    expect(seen.releases).toContain(quiet.releaseId);
    expect(seen.releases).toContain(first.releaseId);
    expect(rolledBack.releaseId).toBe(first.releaseId);
    expect((await getThroughProxy(stack, domain)).release).toBe(first.releaseId);

    // Restart Service: the same container restarts (a short outage, as the seed's Restart does).
    const restarted = await resultOf<{ releaseId: string }>(engine, await ada.apps.restart(app.id));
    expect(restarted.releaseId).toBe(first.releaseId);
    expect((await getThroughProxy(stack, domain)).status).toBe(200);

    // Update Config: the staged config becomes a new release of the same image.
    await ada.apps.applyConfig(app.id, { configPatch: 'log_level = warn' });
    const reconfigured = await resultOf<{ releaseId: string; built: boolean }>(
      engine,
      await ada.apps.updateConfig(app.id),
    );
    expect(reconfigured.built).toBe(false);
    expect((await getThroughProxy(stack, domain)).release).toBe(reconfigured.releaseId);

    // Maintenance on and off.
    await resultOf(engine, await ada.apps.enableMaintenance(app.id));
    const down = await getThroughProxy(stack, domain);
    expect(down.status).toBe(503);
    await resultOf(engine, await ada.apps.disableMaintenance(app.id));
    expect((await getThroughProxy(stack, domain)).status).toBe(200);

    // The releases tell the story: one per deploy/update/config change, the last one current.
    const releases = await ada.releases.list(app.id);
    expect(releases.map((r) => r.id).sort()).toEqual(
      [first.releaseId, updated.releaseId, quiet.releaseId, reconfigured.releaseId].sort(),
    );
    expect(releases.filter((r) => r.current).map((r) => r.id)).toEqual([reconfigured.releaseId]);
    const images = new Set(releases.map((r) => r.image));
    expect(images.size).toBe(3); // the config change reused its image
  });

  it('a deploy whose new release never gets healthy leaves the previous release serving', async () => {
    const { ada, app, domain, repository } = await createStackApp(engine, stack);
    const first = await resultOf<{ releaseId: string }>(engine, await ada.apps.deploy(app.id));
    await repository.commit('Break health', { 'cw_hello/STANDIN_UNHEALTHY': '' });
    await expect(resultOf(engine, await ada.apps.deploy(app.id))).rejects.toThrow();
    const served = await getThroughProxy(stack, domain);
    expect(served.status).toBe(200);
    expect(served.release).toBe(first.releaseId);
    expect((await ada.apps.get(app.id)).state).toBe('error');
    expect((await ada.releases.current(app.id))?.id).toBe(first.releaseId);
  });

  it('two operations submitted at once for one app run one after the other, in order', async () => {
    const { ada, app } = await createStackApp(engine, stack);
    await resultOf(engine, await ada.apps.deploy(app.id));
    const a = await ada.apps.restart(app.id);
    const b = await ada.apps.enableMaintenance(app.id);
    await Promise.all([resultOf(engine, a), resultOf(engine, b)]);
    const window = async (workflowId: string) => {
      const history = await engine.gateway.client.workflow.getHandle(workflowId).fetchHistory();
      const times = (history.events ?? [])
        .filter((e) => e.activityTaskScheduledEventAttributes || e.activityTaskCompletedEventAttributes)
        .map((e) => Number(e.eventTime?.seconds ?? 0) * 1000 + Math.floor((e.eventTime?.nanos ?? 0) / 1e6));
      return { first: Math.min(...times), last: Math.max(...times) };
    };
    const [wa, wb] = [await window(a.workflowId), await window(b.workflowId)];
    expect(wa.last).toBeLessThanOrEqual(wb.first);
  });

  it('rejects crafted branch names, database names and config patches before anything runs', async () => {
    const { ada, app } = await createStackApp(engine, stack);
    await expect(ada.branches.add(app.id, { name: 'main;touch /tmp/pwned' })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(ada.branches.add(app.id, { name: '--upload-pack=touch /tmp/pwned' })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(
      ada.apps.applyConfig(app.id, { databaseName: "x'; DROP DATABASE postgres; --" }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      ada.apps.applyConfig(app.id, { configPatch: 'log_level = info\n[evil]\nx = 1' }),
    ).rejects.toBeInstanceOf(ValidationError);
    expect((await ada.apps.getConfig(app.id)).staged).toBeNull();
  });
});
