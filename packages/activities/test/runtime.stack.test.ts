// The release runtime against the real local stack: sshd + Docker (reached only through the SSH
// connection), PostgreSQL, nginx and the Odoo stand-in image (a TEST FIXTURE, not Odoo).
import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { type SshHost, type Stack, startStack } from '@cloudwady/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerName } from '../src/commands/index.js';
import { CommandInputError } from '../src/commands/validate.js';
import { SshConnectionPool } from '../src/host/connection-pool.js';
import { dockerFor } from '../src/host/docker.js';
import { HostCommandError } from '../src/host/errors.js';
import { run, runChecked } from '../src/host/exec.js';
import { exists, mkdirp, readFile, writeFile } from '../src/host/sftp.js';
import {
  choosePortPair,
  databaseExists,
  ensureReleaseContainer,
  httpGetViaServer,
  listAppContainers,
  onceContainerName,
  ProxyConfigError,
  type ProxyTarget,
  removeAppContainers,
  restartReleaseContainer,
  routeApp,
  runOdooOnce,
  stopReleaseContainer,
  UnhealthyReleaseError,
  unrouteApp,
  waitHealthy,
  writeReleaseConfig,
} from '../src/runtime/index.js';

let stack: Stack;
let server: SshHost;
let pool: SshConnectionPool;
let proxy: ProxyTarget;
let image: string;

const rand = () => randomBytes(5).toString('hex');
const id = rand();
const appId = `rt${id}`;
const otherApps: string[] = [];
const hostileApp = `rt${id}x`;
const brokenApp = `rt${id}y`;
const database = `rt_${id}`;
const domain = `${id}.localhost`;
let base: string;
let options: { pool: SshConnectionPool };

/** odoo.conf for the stand-in: the stack's PostgreSQL, the app's database. */
function odooConf(extra: Record<string, string | number> = {}): string {
  const lines = {
    db_host: '127.0.0.1',
    db_port: stack.postgres.port,
    db_user: stack.postgres.user,
    db_password: stack.postgres.password,
    db_name: database,
    list_db: 'False',
    addons_path: '/mnt/extra-addons',
    data_dir: '/var/lib/odoo',
    ...extra,
  };
  return `[options]\n${Object.entries(lines)
    .map(([k, v]) => `${k} = ${v}`)
    .join('\n')}\n`;
}

const release = (releaseId: string) => ({
  appId,
  releaseId,
  image,
  configPath: `${base}/releases/${releaseId}/odoo.conf`,
  dataDir: `${base}/data`,
});

/** A request to nginx from outside the server (the test runs on the same machine). */
function viaNginx(host: string, path = '/web/health') {
  return new Promise<{ status: number; body: string; headers: Record<string, unknown> }>(
    (resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: stack.nginx.httpPort,
          path,
          headers: { host },
          agent: false,
          timeout: 10_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
              headers: res.headers,
            }),
          );
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', reject);
      req.end();
    },
  );
}

function siteFor(app: string) {
  return `${proxy.sitesDir}/cloudwady-${app}.conf`;
}

beforeAll(async () => {
  stack = await startStack({ services: ['ssh', 'docker', 'images', 'postgres', 'nginx'] });
  const first = stack.hosts[0];
  if (first === undefined) throw new Error('the stack started without an SSH host');
  server = first;
  pool = new SshConnectionPool();
  options = { pool };
  proxy = {
    sitesDir: stack.nginx.sitesDir,
    reloadArgv: stack.nginx.reloadArgv,
    testArgv: stack.nginx.testArgv,
  };
  image = stack.images.odoo['17.0'] as string;
  base = `${stack.stateDir}/test-runtime-${id}`;
});

afterAll(async () => {
  if (server !== undefined) {
    for (const app of [appId, ...otherApps, hostileApp, brokenApp]) {
      await removeAppContainers(server, app, options).catch(() => {});
      await unrouteApp(server, { proxy, appId: app }, options).catch(() => {});
    }
    await run(server, ['rm', '-rf', '--', base], { pool }).catch(() => {});
  }
  if (stack !== undefined) {
    const client = new pg.Client({ connectionString: stack.postgres.url });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await client.end();
  }
  await pool?.closeAll();
  await stack?.stop();
});

describe('release config', () => {
  it('writes odoo.conf atomically with mode 0600, creating its directory, twice = once', async () => {
    const { configPath } = release('r1');
    for (let i = 0; i < 2; i++)
      await writeReleaseConfig(server, { path: configPath, content: odooConf() }, options);
    const stat = await runChecked(server, ['stat', '-c', '%a %U', configPath], { pool });
    expect(stat.stdout.trim()).toBe('600 root');
    expect((await readFile(server, configPath, { pool })).toString()).toBe(odooConf());
    // No temporary file left beside it.
    const listing = await runChecked(server, ['ls', '-A', `${base}/releases/r1`], { pool });
    expect(listing.stdout.trim()).toBe('odoo.conf');
  });

  it('rejects a relative path before writing anything', async () => {
    await expect(
      writeReleaseConfig(server, { path: 'odoo.conf', content: 'x' }, options),
    ).rejects.toBeInstanceOf(CommandInputError);
  });
});

describe('one-off odoo runs and databases', () => {
  it('initialises the database with runOdooOnce, replacing a leftover one-off container', async () => {
    expect(await databaseExists(server, { image, db: stack.postgres, name: database }, options)).toBe(false);

    // A leftover of a crashed worker under the deterministic name: removed before the run.
    const args = ['-d', database, '-i', 'base', '--stop-after-init'];
    const leftover = onceContainerName(appId, 'r1', args);
    const docker = dockerFor(server, { pool });
    await docker.createContainer({
      name: leftover,
      Image: image,
      Cmd: ['true'],
      HostConfig: { NetworkMode: 'host' },
    });

    const streamed: string[] = [];
    const result = await runOdooOnce(
      server,
      { ...release('r1'), args, onOutput: (line) => streamed.push(line) },
      options,
    );
    expect(result.exitCode).toBe(0);
    expect(
      result.output.some((line) => /INFO \S+ odoo\.modules\.loading: \d+ modules loaded/.test(line)),
    ).toBe(true);
    expect(streamed).toEqual(result.output);
    // The one-off container is gone, and the password never showed up in the output.
    await expect(docker.getContainer(leftover).inspect()).rejects.toMatchObject({ statusCode: 404 });
    expect(result.output.join('\n')).not.toContain(stack.postgres.password);

    expect(await databaseExists(server, { image, db: stack.postgres, name: database }, options)).toBe(true);
    // The filestore landed in the data dir on the host.
    expect(await exists(server, `${base}/data/filestore/${database}`, { pool })).toBe(true);
  });

  it('reports a failing run by its exit code and output', async () => {
    const result = await runOdooOnce(
      server,
      { ...release('r1'), args: ['-d', database, '-i', 'no_such_module', '--stop-after-init'] },
      options,
    );
    expect(result.exitCode).toBe(1);
    expect(result.output.join('\n')).toMatch(/module no_such_module: not found/);
    expect(await listAppContainers(server, appId, options)).toEqual([]);
  });

  it('heartbeats while a run lasts, and a cancelled run is killed and removed', async () => {
    const controller = new AbortController();
    let beats = 0;
    setTimeout(() => controller.abort(new Error('operation cancelled')), 6_500);
    const started = Date.now();
    const args = ['--http-interface', '127.0.0.1', '--http-port', '1'];
    const error = await runOdooOnce(
      server,
      {
        ...release('r1'),
        args,
        // The stand-in sleeps before listening: a run that would last a minute.
        env: { STANDIN_STARTUP_DELAY: '60' },
        heartbeat: () => beats++,
        signal: controller.signal,
      },
      options,
    ).catch((e) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe('operation cancelled');
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(beats).toBeGreaterThanOrEqual(1);
    const gone = await dockerFor(server, { pool })
      .getContainer(onceContainerName(appId, 'r1', args))
      .inspect()
      .catch((e) => e);
    expect(gone.statusCode).toBe(404);
  });

  it('runs a subcommand (neutralize) before -c, as Odoo expects', async () => {
    const result = await runOdooOnce(
      server,
      { ...release('r1'), args: ['neutralize', '-d', database] },
      options,
    );
    expect(result.exitCode).toBe(0);
    expect(result.output.join('\n')).toContain(`database ${database} neutralized`);
  });

  it('checks database names safely and keeps the password out of errors', async () => {
    expect(await databaseExists(server, { image, db: stack.postgres, name: 'postgres' }, options)).toBe(true);
    expect(await databaseExists(server, { image, db: stack.postgres, name: `a.b-${id}` }, options)).toBe(
      false,
    );
    await expect(
      databaseExists(server, { image, db: stack.postgres, name: "x'; DROP DATABASE postgres; --" }, options),
    ).rejects.toBeInstanceOf(CommandInputError);

    const wrong = `wrong-${rand()}`;
    const error = await databaseExists(
      server,
      { image, db: { ...stack.postgres, password: wrong }, name: database },
      options,
    ).catch((e) => e);
    expect(error).toBeInstanceOf(HostCommandError);
    expect(error.message).toMatch(/password authentication failed/);
    expect(error.message).not.toContain(wrong);
    // The psql container (deterministic name) is gone after a failure too.
    const target = createHash('sha256').update(`${stack.postgres.host}:${stack.postgres.port}/${database}`);
    const psql = `cw-psql-${target.digest('hex').slice(0, 16)}`;
    await expect(dockerFor(server, { pool }).getContainer(psql).inspect()).rejects.toMatchObject({
      statusCode: 404,
    });
  });
});

describe('release containers, health and routing', () => {
  let r1: { container: string; port: number; geventPort: number | null };

  it('starts the release on a loopback port pair; a second call returns the same container and port', async () => {
    r1 = await ensureReleaseContainer(server, { ...release('r1'), gevent: false }, options);
    expect(r1.container).toBe(containerName(appId, 'r1'));
    expect(r1.port).toBeGreaterThanOrEqual(20000);
    expect(r1.port).toBeLessThanOrEqual(29998);
    expect(r1.geventPort).toBeNull();
    expect(await ensureReleaseContainer(server, { ...release('r1'), gevent: false }, options)).toEqual(r1);

    const info = await dockerFor(server, { pool }).getContainer(r1.container).inspect();
    expect(info.State.Running).toBe(true);
    expect(info.HostConfig.NetworkMode).toBe('host');
    expect(info.HostConfig.RestartPolicy?.Name).toBe('unless-stopped');
    expect(info.Config.Cmd).toEqual([
      'odoo',
      '-c',
      '/etc/odoo/odoo.conf',
      '--http-port',
      String(r1.port),
      '--http-interface',
      '127.0.0.1',
    ]);
    expect(info.Mounts.find((m) => m.Destination === '/etc/odoo/odoo.conf')?.RW).toBe(false);
    expect(info.Mounts.find((m) => m.Destination === '/var/lib/odoo')?.Source).toBe(`${base}/data`);
    expect(info.Config.Labels['org.cloudwady.port']).toBe(String(r1.port));

    const listed = await listAppContainers(server, appId, options);
    expect(listed.map((c) => [c.name, c.releaseId, c.role, c.port, c.state])).toEqual([
      [r1.container, 'r1', 'release', r1.port, 'running'],
    ]);
  });

  it('waits until /web/health passes, through the SSH connection', async () => {
    const attempts: (number | string)[] = [];
    await waitHealthy(
      server,
      { port: r1.port, timeoutMs: 30_000, intervalMs: 200, onAttempt: (_, s) => attempts.push(s) },
      options,
    );
    const home = await httpGetViaServer(server, { port: r1.port, path: '/' }, options);
    expect(home.status).toBe(200);
    expect(home.headers['x-cloudwady-release']).toBe('r1');
    // Odoo listens on loopback only: the port is not reachable on another address of the host.
    const ss = await runChecked(server, ['ss', '-ltnH', `sport = :${r1.port}`], { pool });
    expect(ss.stdout.trim().split('\n')).toHaveLength(1);
    expect(ss.stdout).toContain(`127.0.0.1:${r1.port}`);
  });

  it('routes the domain to the release through nginx; the same route again changes nothing', async () => {
    const route = {
      proxy,
      appId,
      domains: [domain],
      upstream: { port: r1.port, geventPort: null },
      listenPort: stack.nginx.httpPort,
      listenAddress: '127.0.0.1',
      maintenanceDir: `${base}/maintenance`,
      limits: { bodySize: '64m' },
    };
    const first = await routeApp(server, route, options);
    expect(first.siteFile).toBe(siteFor(appId));
    const res = await viaNginx(domain);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ status: 'pass' });
    expect(res.headers['x-cloudwady-release']).toBe('r1');
    const site = (await readFile(server, first.siteFile, { pool })).toString();
    expect(site).toContain(`server_name ${domain};`);
    expect(site).toContain('client_max_body_size 64m;');
    expect(site).toContain(`proxy_pass http://127.0.0.1:${r1.port};`);

    const again = await routeApp(server, route, options);
    expect(again.changed).toBe(false);
    expect((await viaNginx(domain)).status).toBe(200);
  });

  it('switches to the maintenance page (503) and back', async () => {
    const route = {
      proxy,
      appId,
      domains: [domain],
      listenPort: stack.nginx.httpPort,
      listenAddress: '127.0.0.1',
      maintenanceDir: `${base}/maintenance`,
    };
    await routeApp(server, { ...route, upstream: 'maintenance' }, options);
    for (const path of ['/web/health', '/', '/maintenance.html']) {
      const res = await viaNginx(domain, path);
      expect(res.status).toBe(503);
      expect(res.body).toContain('<h1>Under maintenance</h1>');
      expect(res.headers['retry-after']).toBe('300');
    }
    await routeApp(server, { ...route, upstream: { port: r1.port, geventPort: null } }, options);
    expect((await viaNginx(domain)).status).toBe(200);
  });

  it('starts a second release beside the first, switches to it and stops the old one without a failed request', async () => {
    const r2Spec = release('r2');
    // r2 runs with workers, so it also listens on its gevent port for /websocket.
    await writeReleaseConfig(server, { path: r2Spec.configPath, content: odooConf({ workers: 2 }) }, options);
    const r2 = await ensureReleaseContainer(server, { ...r2Spec, gevent: true }, options);
    expect(r2.port).not.toBe(r1.port);
    expect(r2.geventPort).toBe(r2.port + 1);
    expect([r1.port, r1.port + 1]).not.toContain(r2.port);
    await waitHealthy(server, { port: r2.port, timeoutMs: 30_000, intervalMs: 200 }, options);

    const seen: string[] = [];
    const failures: string[] = [];
    let running = true;
    const loop = (async () => {
      while (running) {
        try {
          const res = await viaNginx(domain);
          if (res.status === 200) seen.push(String(res.headers['x-cloudwady-release']));
          else failures.push(`HTTP ${res.status} ${res.body.slice(0, 100)}`);
        } catch (err) {
          failures.push((err as Error).message);
        }
      }
    })();
    await new Promise((r) => setTimeout(r, 300));
    await routeApp(
      server,
      {
        proxy,
        appId,
        domains: [domain],
        upstream: r2,
        listenPort: stack.nginx.httpPort,
        listenAddress: '127.0.0.1',
        maintenanceDir: `${base}/maintenance`,
      },
      options,
    );
    await stopReleaseContainer(server, { appId, releaseId: 'r1', remove: true, graceSeconds: 5 }, options);
    const stoppedAt = seen.length;
    await new Promise((r) => setTimeout(r, 500));
    running = false;
    await loop;

    // nginx's graceful reload may interleave r1 and r2 for a moment; no request failed.
    expect(failures).toEqual([]);
    expect(seen).toContain('r1');
    const afterStop = seen.slice(stoppedAt + 1);
    expect(afterStop.length).toBeGreaterThan(0);
    expect(new Set(afterStop)).toEqual(new Set(['r2']));
    // /websocket goes to the gevent port.
    const ws = await viaNginx(domain, '/websocket');
    expect(ws.status).toBe(200);
    expect(ws.body).toBe('websocket stand-in');

    expect((await listAppContainers(server, appId, options)).map((c) => c.releaseId)).toEqual(['r2']);
    // Stopping what is gone is done, not an error.
    expect(await stopReleaseContainer(server, { appId, releaseId: 'r1', remove: true }, options)).toEqual({
      existed: false,
    });

    // Restart keeps the ports; the release is healthy again afterwards.
    expect(await restartReleaseContainer(server, { appId, releaseId: 'r2' }, options)).toEqual(r2);
    await waitHealthy(server, { port: r2.port, timeoutMs: 30_000, intervalMs: 200 }, options);
    // A stopped (not removed) release keeps its ports and comes back on them.
    await stopReleaseContainer(server, { appId, releaseId: 'r2', remove: false }, options);
    expect((await listAppContainers(server, appId, options))[0]?.state).toBe('exited');
    expect(await ensureReleaseContainer(server, { ...r2Spec, gevent: true }, options)).toEqual(r2);
    await waitHealthy(server, { port: r2.port, timeoutMs: 30_000, intervalMs: 200 }, options);
    expect((await viaNginx(domain)).headers['x-cloudwady-release']).toBe('r2');
  });

  it('fails waitHealthy with UnhealthyReleaseError when the release never passes', async () => {
    // The stand-in answers 500 while an addons_path directory holds STANDIN_UNHEALTHY.
    const spec = release('r3');
    await writeReleaseConfig(
      server,
      { path: spec.configPath, content: odooConf({ addons_path: '/var/lib/odoo/addons-r3' }) },
      options,
    );
    await mkdirp(server, `${base}/data/addons-r3`, { pool });
    await writeFile(server, `${base}/data/addons-r3/STANDIN_UNHEALTHY`, '', { pool });
    const r3 = await ensureReleaseContainer(server, { ...spec, gevent: false }, options);

    const started = Date.now();
    const statuses: (number | string)[] = [];
    const error = await waitHealthy(
      server,
      { port: r3.port, timeoutMs: 3_000, intervalMs: 250, onAttempt: (_, s) => statuses.push(s) },
      options,
    ).catch((e) => e);
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(error).toBeInstanceOf(UnhealthyReleaseError);
    expect(error.port).toBe(r3.port);
    expect(error.lastStatus).toBe(500);
    expect(error.lastBody).toContain('fail');
    expect(error.container).toBe(r3.container);
    expect(error.logs.join('\n')).toContain('HTTP service running');
    expect(statuses).toContain(500);

    // Nothing listening at all: the reason is the refused connection.
    const refused = await waitHealthy(server, { port: 1, timeoutMs: 500, intervalMs: 100 }, options).catch(
      (e) => e,
    );
    expect(refused).toBeInstanceOf(UnhealthyReleaseError);
    expect(refused.lastStatus).toBe('connection refused');
    await stopReleaseContainer(server, { appId, releaseId: 'r3', remove: true, graceSeconds: 1 }, options);
  });

  it('rejects a hostile domain before writing anything', async () => {
    const attempt = routeApp(
      server,
      {
        proxy,
        appId: hostileApp,
        domains: ['evil.com;\n}'],
        upstream: { port: 20000, geventPort: null },
        listenPort: stack.nginx.httpPort,
        listenAddress: '127.0.0.1',
        maintenanceDir: `${base}/maintenance`,
      },
      options,
    );
    await expect(attempt).rejects.toBeInstanceOf(CommandInputError);
    expect(await exists(server, siteFor(hostileApp), { pool })).toBe(false);
  });

  it('keeps the previous site when nginx refuses the new one', async () => {
    const route = {
      proxy,
      appId: brokenApp,
      domains: [`b${domain}`],
      upstream: { port: 20000, geventPort: null },
      listenPort: stack.nginx.httpPort,
      listenAddress: '127.0.0.1',
      maintenanceDir: `${base}/maintenance`,
    };
    // New file refused: removed again.
    const missingCert = { certificatePath: `${base}/no-such-cert.pem`, keyPath: `${base}/no-such-key.pem` };
    const refused = await routeApp(server, { ...route, tls: missingCert }, options).catch((e) => e);
    expect(refused).toBeInstanceOf(ProxyConfigError);
    expect(refused.nginxMessage).toMatch(/no-such-cert\.pem/);
    expect(await exists(server, siteFor(brokenApp), { pool })).toBe(false);

    // Existing file: put back as it was, and nginx still serves the other app.
    await routeApp(server, route, options);
    const before = (await readFile(server, siteFor(brokenApp), { pool })).toString();
    await expect(routeApp(server, { ...route, tls: missingCert }, options)).rejects.toBeInstanceOf(
      ProxyConfigError,
    );
    expect((await readFile(server, siteFor(brokenApp), { pool })).toString()).toBe(before);
    expect((await viaNginx(domain)).status).toBe(200);

    const where = { listenPort: stack.nginx.httpPort, listenAddress: '127.0.0.1' };
    expect(await unrouteApp(server, { proxy, appId: brokenApp, ...where }, options)).toEqual({
      removed: true,
    });
    expect(await unrouteApp(server, { proxy, appId: brokenApp, ...where }, options)).toEqual({
      removed: false,
    });
  });

  it('gives concurrent releases of different apps different ports', async () => {
    // A range of 4 pairs and 4 apps at once whose first choice is the same pair: they collide
    // (each sees the others' containers after creating its own) and the race is settled.
    const low = 30000 + 8 * Math.floor(Math.random() * 500);
    const range = [low, low + 7] as const;
    const firstChoice = (app: string) => choosePortPair(range, new Set(), containerName(app, 'c1'));
    const apps: string[] = [];
    for (let i = 0; apps.length < 4; i++) {
      const app = `rt${id}${i}`;
      if (apps.length === 0 || firstChoice(app) === firstChoice(apps[0] as string)) apps.push(app);
    }
    otherApps.push(...apps);
    const results = await Promise.all(
      apps.map(async (app) => {
        const spec = { ...release('c1'), appId: app, configPath: `${base}/releases/r1/odoo.conf` };
        return ensureReleaseContainer(server, { ...spec, gevent: false, portRange: range }, options);
      }),
    );
    const ports = results.map((r) => r.port).sort();
    expect(new Set(ports).size).toBe(4);
    for (const port of ports) expect((port - low) % 2).toBe(0);
    // The range is full now.
    await expect(
      ensureReleaseContainer(server, { ...release('c2'), gevent: false, portRange: range }, options),
    ).rejects.toMatchObject({ name: 'PortAllocationError' });
    for (const app of apps) {
      expect(await removeAppContainers(server, app, options)).toEqual([containerName(app, 'c1')]);
    }
  });

  it('removes the app: containers and route', async () => {
    const where = { listenPort: stack.nginx.httpPort, listenAddress: '127.0.0.1' };
    expect(await unrouteApp(server, { proxy, appId, ...where }, options)).toEqual({ removed: true });
    // Returned once nginx no longer serves the site: the domain now gets the default server.
    expect((await viaNginx(domain)).status).toBe(404);
    expect(await exists(server, siteFor(appId), { pool })).toBe(false);
    expect(await removeAppContainers(server, appId, options)).toEqual([containerName(appId, 'r2')]);
    expect(await listAppContainers(server, appId, options)).toEqual([]);
  });
});
