// The whole engine on the local stack, as examples, benchmarks and tests use it: the SDK (SQLite
// store, Temporal gateway), a real worker running the operation workflows, an app on the SSH host.
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { join } from 'node:path';
import { type HostingOptions, operationActivities } from '@cloudwady/activities';
import { CloudWady, type CloudWadyClient, type RunRef, TemporalGateway } from '@cloudwady/sdk';
import { createSampleAddons, type SampleAddonsRepository, type Stack } from '@cloudwady/testing';
import { type RunningWorker, startWorker } from '@cloudwady/worker';

export interface LocalEngine {
  client: CloudWadyClient;
  gateway: TemporalGateway;
  worker: RunningWorker;
  hosting: HostingOptions;
  stop(): Promise<void>;
}

export const uniqueName = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

export function hostingFor(stack: Stack, dataRoot: string): HostingOptions {
  return {
    baseImages: stack.images.odoo,
    dataRoot,
    database: {
      host: stack.postgres.host,
      port: stack.postgres.port,
      user: stack.postgres.user,
      password: stack.postgres.password,
    },
    proxyListenPort: stack.nginx.httpPort,
    proxyListenAddress: '127.0.0.1',
    healthTimeoutMs: 20_000,
  };
}

export async function startLocalEngine(stack: Stack, name = uniqueName('engine')): Promise<LocalEngine> {
  const dir = join(stack.stateDir, 'tests', name);
  const taskQueue = name;
  // One key for both sides of the payload codec: the run history stores only ciphertext.
  const payloadKey = randomBytes(32);
  const gateway = await TemporalGateway.connect({ address: stack.temporal.address, taskQueue, payloadKey });
  const client = await CloudWady.connect({
    store: { sqlite: join(dir, 'cloudwady.sqlite') },
    operations: gateway,
  });
  const hosting = hostingFor(stack, join(dir, 'server-1'));
  const worker = await startWorker({
    address: stack.temporal.address,
    taskQueue,
    activities: operationActivities(client.engine, hosting),
    payloadKey,
  });
  return {
    client,
    gateway,
    worker,
    hosting,
    async stop() {
      await worker.stop();
      await gateway.close();
      await client.close();
    },
  };
}

/** A project, a staging environment, the stack's first SSH host as a server, and an app on a fresh repository. */
export async function createStackApp(
  engine: LocalEngine,
  stack: Stack,
  options: { workers?: number; actorName?: string } = {},
) {
  const ada = engine.client.as({ userId: 'ada', name: options.actorName ?? 'Ada' });
  const name = uniqueName('shop');
  const repository: SampleAddonsRepository = await createSampleAddons(
    join(stack.stateDir, 'tests', 'repos', `${name}.git`),
  );
  const project = await ada.projects.create({ name, repositoryUrl: repository.url });
  const environment = await ada.environments.create({ projectId: project.id, type: 'staging' });
  const host = stack.hosts[0];
  if (!host) throw new Error('the stack has no SSH host');
  const server = await ada.servers.create({
    projectId: project.id,
    name: 'server-1',
    ssh: { host: host.host, port: host.port, username: host.username, privateKey: host.privateKey },
    dockerSocketPath: host.dockerSocketPath,
    proxy: {
      kind: 'nginx',
      sitesDir: stack.nginx.sitesDir,
      reloadArgv: stack.nginx.reloadArgv,
      testArgv: stack.nginx.testArgv,
    },
  });
  const domain = `${name}.localhost`;
  const app = await ada.apps.create({
    environmentId: environment.id,
    serverId: server.id,
    name,
    odooVersion: '17.0',
    branch: { name: repository.branch },
    primaryUrl: { domain },
    config: { workers: options.workers ?? 0 },
    automation: { autoInstall: true },
  });
  return { ada, app, domain, repository };
}

/** Waits for a run's workflow result (throws its failure). */
export function resultOf<T = unknown>(engine: LocalEngine, run: RunRef | null): Promise<T> {
  if (!run) throw new Error('no run was started');
  return engine.gateway.client.workflow.getHandle(run.workflowId).result() as Promise<T>;
}

export interface Answer {
  status: number;
  release: string;
  body: string;
}

/** GET through the stack's nginx with the app's domain as Host. */
export function getThroughProxy(stack: Stack, domain: string, path = '/'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: stack.nginx.httpPort, path, headers: { host: domain }, timeout: 5000 },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            release: String(res.headers['x-cloudwady-release'] ?? ''),
            body,
          }),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

/** A steady request loop against the app through nginx; stop() returns what it saw. */
export function requestLoop(stack: Stack, domain: string, intervalMs = 50) {
  const seen = { ok: 0, failed: [] as string[], releases: new Set<string>() };
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        const answer = await getThroughProxy(stack, domain, '/web/health');
        if (answer.status === 200) seen.ok++;
        else seen.failed.push(`HTTP ${answer.status}`);
        const page = await getThroughProxy(stack, domain, '/');
        if (page.status === 200) seen.releases.add(page.release);
        else seen.failed.push(`HTTP ${page.status} on /`);
      } catch (error) {
        seen.failed.push((error as Error).message);
      }
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return seen;
    },
  };
}
