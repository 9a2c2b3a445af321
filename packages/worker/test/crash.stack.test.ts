import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type HostingOptions, RELEASE_LABEL } from '@cloudwady/activities';
import { CloudWady, type CloudWadyClient, TemporalGateway } from '@cloudwady/sdk';
import { type Stack, startStack } from '@cloudwady/testing';
import type { ReleaseResult } from '@cloudwady/workflows';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createStackApp,
  getThroughProxy,
  hostingFor,
  type LocalEngine,
  uniqueName,
} from '../../../examples/src/support/local.js';
import { appContainers, appImages, buildSlowBaseImage, localDocker, runningFrom } from './fixtures/docker.js';
import { waitFor } from './fixtures/wait.js';
import { ensureWorkerBuilt, startWorkerProcess, type WorkerProcess } from './fixtures/worker-process.js';

// The cloudwady-worker command as operators run it, killed like a crashed host in the middle of an
// image build and started again: Temporal retries the build on the new process once the killed
// attempt's heartbeat times out, and the run ends as if nothing happened: one release, one
// container, one image.
describe('cloudwady-worker killed during an image build', () => {
  let stack: Stack;
  let docker: Docker;
  let gateway: TemporalGateway;
  let client: CloudWadyClient;
  let slowBase: string;
  let env: Record<string, string>;
  let hosting: HostingOptions;
  let hostingFile: string;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    await ensureWorkerBuilt();
    stack = await startStack();
    docker = localDocker(stack.docker.socketPath);
    const base = stack.images.odoo['17.0'];
    if (!base) throw new Error('the stack has no Odoo 17.0 stand-in image');
    slowBase = await buildSlowBaseImage(stack.docker.socketPath, base);

    const name = uniqueName('crash');
    const dir = join(stack.stateDir, 'tests', name);
    mkdirSync(dir, { recursive: true });
    // The worker process and this test share the store, its key and the payload key, as an SDK
    // app and its self-hosted worker do; the task queue is this test's own.
    const database = join(dir, 'cloudwady.sqlite');
    const secretKey = randomBytes(32).toString('base64');
    const payloadKey = randomBytes(32);
    gateway = await TemporalGateway.connect({ address: stack.temporal.address, taskQueue: name, payloadKey });
    client = await CloudWady.connect({ store: { sqlite: database }, secretKey, operations: gateway });
    hosting = { ...hostingFor(stack, join(dir, 'server-1')), baseImages: { '17.0': slowBase } };
    hostingFile = join(dir, 'hosting.json');
    writeFileSync(hostingFile, JSON.stringify(hosting), { mode: 0o600 });
    env = {
      CLOUDWADY_TEMPORAL_ADDRESS: stack.temporal.address,
      CLOUDWADY_TASK_QUEUE: name,
      CLOUDWADY_DATABASE_URL: database,
      CLOUDWADY_SECRET_KEY: secretKey,
      CLOUDWADY_PAYLOAD_KEY: payloadKey.toString('base64'),
    };
  });

  afterAll(async () => {
    for (const worker of workers) if (worker.running()) worker.kill('SIGKILL');
    await Promise.all(workers.map((worker) => worker.exited));
    await gateway?.close();
    await client?.close();
    // The app's images were built on it; the destroy in the test removed them first.
    if (slowBase)
      await docker
        .getImage(slowBase)
        .remove()
        .catch(() => {});
  });

  const start = (settings: Record<string, string>) => {
    const worker = startWorkerProcess({ ...env, ...settings });
    workers.push(worker);
    return worker;
  };

  it('exits with code 2 and names the variable when the settings are wrong', async () => {
    const missing = start({ CLOUDWADY_TEMPORAL_ADDRESS: '', CLOUDWADY_HOSTING_FILE: hostingFile });
    expect((await missing.exited).code).toBe(2);
    expect(missing.output()).toContain('CLOUDWADY_TEMPORAL_ADDRESS is required');

    const badHosting = start({
      CLOUDWADY_HOSTING: JSON.stringify({ ...hosting, database: { ...hosting.database, port: 'x' } }),
    });
    expect((await badHosting.exited).code).toBe(2);
    expect(badHosting.output()).toContain('CLOUDWADY_HOSTING: database.port');
    // The hosting JSON carries the database password: errors must never print it.
    expect(badHosting.output()).not.toContain(hosting.database.password);
  });

  it('SIGKILL mid-build, then a new process: one release, one running container, one image', async () => {
    const sdk: Pick<LocalEngine, 'client' | 'gateway'> = { client, gateway };
    // createStackApp only uses the SDK side; the worker here is a separate process.
    const { ada, app, domain } = await createStackApp(sdk as LocalEngine, stack);

    const first = start({ CLOUDWADY_HOSTING_FILE: hostingFile });
    await first.polling;
    const { workflowId } = await ada.apps.deploy(app.id);
    const run = { appId: app.id, workflowId };
    const buildStep = async () => (await ada.runs.get(run))?.steps.find((step) => step.name === 'buildImage');
    await waitFor(
      'the image build to reach its slow step',
      async () =>
        (await buildStep())?.status === 'running' && (await runningFrom(docker, slowBase)).length > 0,
      { timeoutMs: 120_000 },
    );
    first.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    // Settings inline this time: both ways of giving the hosting JSON run the same worker.
    const second = start({ CLOUDWADY_HOSTING: JSON.stringify(hosting) });
    await second.polling;
    // Temporal gives up on the killed attempt when its heartbeat times out, then retries it here.
    const retried = await waitFor(
      'the build to be retried',
      async () => {
        const step = await buildStep();
        return step !== undefined && step.attempts >= 2 && step;
      },
      { timeoutMs: 180_000, intervalMs: 1000 },
    );
    expect(retried.failure).toMatch(/heartbeat/i);
    const result = (await ada.runs.result(run)) as ReleaseResult;
    // Built, not reused: the killed build left no tagged image (Docker stops a build whose client
    // goes away), so the second attempt built it again, from its first step to its last.
    expect(result.built).toBe(true);
    const built = await buildStep();
    expect(built).toMatchObject({ status: 'completed', attempts: 2 });
    expect(built?.log.join('\n')).toContain('slow build step 20 of 20');

    const releases = await ada.releases.list(app.id);
    expect(releases.map((r) => [r.id, r.image, r.current])).toEqual([[result.releaseId, result.image, true]]);
    const containers = await appContainers(docker, app.id);
    expect(containers.map((c) => [c.State, c.Labels[RELEASE_LABEL]])).toEqual([
      ['running', result.releaseId],
    ]);
    const images = await appImages(docker, app.id);
    expect(images.map((i) => i.RepoTags)).toEqual([[result.image]]);
    expect((await ada.apps.get(app.id)).state).toBe('deployed');
    expect((await getThroughProxy(stack, domain)).release).toBe(result.releaseId);

    // The restarted worker goes on serving operations: clean the app away with it.
    const deleted = await ada.apps.deleteInstance(app.id);
    await ada.runs.result({ appId: app.id, workflowId: deleted.workflowId });
    const destroyed = await ada.apps.destroy(app.id);
    // Through Temporal: once Destroy ends, the app (and so its runs in the SDK) is gone.
    if (destroyed) await gateway.client.workflow.getHandle(destroyed.workflowId).result();
    expect(await appImages(docker, app.id)).toEqual([]);

    // SIGTERM drains and exits 0.
    second.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
    expect(second.output()).toContain('cloudwady-worker: stopped');
  }, 420_000);
});
