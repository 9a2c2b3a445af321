// Routes an app's domains on the server's nginx: to a release's loopback port, or to the
// maintenance page. The site is rendered (and so validated) before anything is written, written
// atomically, tested with `nginx -t` (a refused site is replaced by the previous one), reloaded,
// and then routeApp waits until nginx answers with the new file: a reload only signals the
// master, and stopping the old release before the new workers take over would fail requests.
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  MAINTENANCE_PAGE_FILE,
  maintenancePage,
  type NginxSite,
  renderMaintenanceSite,
  renderSite,
  siteFileName,
} from '../commands/nginx.js';
import * as v from '../commands/validate.js';
import { sshPool } from '../host/connection-pool.js';
import { run, runChecked } from '../host/exec.js';
import { type HostServer, serverKey, serverLabel } from '../host/server.js';
import { HostFileError, mkdirp, readFile, removeFile, writeFile } from '../host/sftp.js';
import type { RuntimeOptions } from './containers.js';
import { ProxyConfigError, ProxyReloadError } from './errors.js';
import { httpGetViaServer, LoopbackConnectError } from './loopback-http.js';

/** The reverse proxy on the server: where sites live and how to test and reload it. */
export interface ProxyTarget {
  /** Directory of per-app site files that nginx includes (`*.conf`). */
  sitesDir: string;
  /** argv that reloads nginx, e.g. ['nginx', '-s', 'reload']. */
  reloadArgv: string[];
  /** argv that tests the configuration, e.g. ['nginx', '-t', '-q']. */
  testArgv: string[];
  /** Served at /.well-known/acme-challenge/ (HTTP-01); default: `acme-challenge` beside sitesDir. */
  acmeChallengeDir?: string;
}

export type Upstream = { port: number; geventPort: number | null } | 'maintenance';

export interface RouteAppInput {
  proxy: ProxyTarget;
  appId: string;
  /** Every domain of the app's URLs. */
  domains: string[];
  /** The release to send requests to, or 'maintenance' (503 with the maintenance page). */
  upstream: Upstream;
  /** Port nginx listens on for plain HTTP; default 80. */
  listenPort?: number;
  /** Address nginx listens on (e.g. 127.0.0.1); default every address. */
  listenAddress?: string;
  /** Directory holding the maintenance page (written there; readable by nginx's workers). */
  maintenanceDir: string;
  maintenance?: { title?: string; message?: string; retryAfterSeconds?: number };
  limits?: {
    /** Largest request body, nginx-style: "128m", "2g", "512k" (rounded up to whole MiB). */
    bodySize?: string;
    /** Proxy read/send timeout in seconds (default 720: Odoo's long requests). */
    timeoutSeconds?: number;
  };
  /** Serve HTTPS with this certificate (plain HTTP then redirects, except ACME challenges). */
  tls?: { certificatePath: string; keyPath: string; listenPort?: number };
}

export interface RouteResult {
  /** The site file on the server. */
  siteFile: string;
  /** False when the file already had this content (nginx was still tested and reloaded). */
  changed: boolean;
}

const DEFAULT_MAINTENANCE = {
  title: 'Under maintenance',
  message: 'This application is being updated. Please come back in a few minutes.',
};
/** Consecutive answers from the new site before routeApp returns (old workers stop accepting). */
const ROUTE_CHECK_CONFIRMATIONS = 3;
const ROUTE_CHECK_TIMEOUT_MS = 15_000;
const ROUTE_CHECK_PATH = '/.cloudwady/route-check';

/** "128m" -> 128, "1g" -> 1024, "512k" -> 1 (MiB, rounded up); nginx's size syntax. */
export function bodySizeMb(size: string): number {
  const match = /^(\d{1,9})([kKmMgG]?)$/.exec(v.requireString('limits.bodySize', size));
  if (match === null) throw new v.CommandInputError('limits.bodySize', 'must be like 128m, 2g or 512k', size);
  const n = Number(match[1]);
  const unit = (match[2] ?? '').toLowerCase();
  const mb =
    unit === 'g' ? n * 1024 : unit === 'm' ? n : unit === 'k' ? Math.ceil(n / 1024) : Math.ceil(n / 1048576);
  return Math.max(1, mb);
}

/** The server name only routeApp asks for: tells which version of an app's site nginx runs. */
export function routeCheckName(appId: string): string {
  return `route-check-${createHash('sha256').update(v.appId('appId', appId)).digest('hex').slice(0, 16)}.cloudwady.invalid`;
}

/** The site file's text: the app's site plus a tiny server answering the version of this text. */
export function renderRoute(input: RouteAppInput): { content: string; version: string; page: string | null } {
  const proxy = input.proxy;
  const sitesDir = v.absolutePath('proxy.sitesDir', proxy.sitesDir);
  const maintenanceDir = v.absolutePath('maintenanceDir', input.maintenanceDir);
  const upstream = input.upstream;
  const maintenance = upstream === 'maintenance';
  const site: NginxSite = {
    appId: input.appId,
    domains: input.domains,
    // The maintenance site proxies nowhere; the renderer still wants a valid port.
    httpPort: maintenance ? 1 : upstream.port,
    ...(maintenance || upstream.geventPort === null ? {} : { geventPort: upstream.geventPort }),
    // renderSite sends /websocket to the gevent port when workers > 0; that is all it reads.
    workers: maintenance || upstream.geventPort === null ? 0 : 1,
    acmeChallengeDir: proxy.acmeChallengeDir ?? posix.join(posix.dirname(sitesDir), 'acme-challenge'),
    listen: {
      ...(input.listenAddress === undefined ? {} : { address: input.listenAddress }),
      ...(input.listenPort === undefined ? {} : { httpPort: input.listenPort }),
      ...(input.tls?.listenPort === undefined ? {} : { httpsPort: input.tls.listenPort }),
    },
    ...(input.tls === undefined
      ? {}
      : { tls: { certificatePath: input.tls.certificatePath, keyPath: input.tls.keyPath } }),
    ...(input.limits?.bodySize === undefined
      ? {}
      : { clientMaxBodySizeMb: bodySizeMb(input.limits.bodySize) }),
    ...(input.limits?.timeoutSeconds === undefined
      ? {}
      : { proxyTimeoutSeconds: input.limits.timeoutSeconds }),
  };
  const text = maintenance
    ? renderMaintenanceSite(site, {
        pageDir: maintenanceDir,
        ...(input.maintenance?.retryAfterSeconds === undefined
          ? {}
          : { retryAfterSeconds: input.maintenance.retryAfterSeconds }),
      })
    : renderSite(site);
  const page = maintenance
    ? maintenancePage({
        title: input.maintenance?.title ?? DEFAULT_MAINTENANCE.title,
        message: input.maintenance?.message ?? DEFAULT_MAINTENANCE.message,
      })
    : null;
  const version = createHash('sha256').update(text).digest('hex').slice(0, 16);
  // Same listen address and port as the site (no extra socket); validated by the renderer above.
  const listen = `${input.listenAddress === undefined ? '' : `${input.listenAddress}:`}${input.listenPort ?? 80}`;
  const check = [
    '# Route check: routeApp asks this name for the version of this file that nginx serves.',
    'server {',
    `    listen ${listen};`,
    `    server_name ${routeCheckName(input.appId)};`,
    `    location = ${ROUTE_CHECK_PATH} {`,
    '        default_type text/plain;',
    `        return 200 "${version}\\n";`,
    '    }',
    '    location / {',
    '        return 404;',
    '    }',
    '}',
    '',
  ];
  return { content: `${text}${check.join('\n')}`, version, page };
}

// One change at a time per server and sites dir: `nginx -t` checks every site, so a concurrent
// change of another app could be blamed (and rolled back) for a refused one.
const proxyLocks = new Map<string, Promise<unknown>>();

function withProxyLock<T>(server: HostServer, sitesDir: string, use: () => Promise<T>): Promise<T> {
  const key = `${serverKey(server)}:${sitesDir}`;
  const previous = proxyLocks.get(key) ?? Promise.resolve();
  const next = previous.catch(() => {}).then(use);
  const tail = next.catch(() => {});
  proxyLocks.set(key, tail);
  tail.then(() => {
    if (proxyLocks.get(key) === tail) proxyLocks.delete(key);
  });
  return next;
}

async function readIfExists(
  server: HostServer,
  path: string,
  options: RuntimeOptions,
): Promise<string | null> {
  try {
    return (await readFile(server, path, options)).toString('utf8');
  } catch (err) {
    if (err instanceof HostFileError && err.code === 2) return null; // SFTP "no such file"
    throw err;
  }
}

/** Point the app's domains at a release or at the maintenance page, and reload nginx. */
export async function routeApp(
  server: HostServer,
  input: RouteAppInput,
  { pool = sshPool }: RuntimeOptions = {},
): Promise<RouteResult> {
  // Everything is validated here, before any file is touched.
  const { content, version, page } = renderRoute(input);
  const sitesDir = v.absolutePath('proxy.sitesDir', input.proxy.sitesDir);
  const siteFile = posix.join(sitesDir, siteFileName(input.appId));
  const testArgv = argv('proxy.testArgv', input.proxy.testArgv);
  const reloadArgv = argv('proxy.reloadArgv', input.proxy.reloadArgv);
  const label = serverLabel(server);

  return withProxyLock(server, sitesDir, async () => {
    if (page !== null) {
      await mkdirp(server, input.maintenanceDir, { pool });
      await writeFile(server, posix.join(input.maintenanceDir, MAINTENANCE_PAGE_FILE), page, {
        pool,
        mode: 0o644,
      });
    }
    const previous = await readIfExists(server, siteFile, { pool });
    const changed = previous !== content;
    if (changed) {
      await mkdirp(server, sitesDir, { pool });
      await writeFile(server, siteFile, content, { pool, mode: 0o644 });
    }
    const test = await run(server, testArgv, { pool, timeoutMs: 60_000 });
    if (test.exitCode !== 0) {
      if (changed) {
        if (previous === null) await removeFile(server, siteFile, { pool });
        else await writeFile(server, siteFile, previous, { pool, mode: 0o644 });
      }
      throw new ProxyConfigError(
        label,
        siteFile,
        test.stderr.trim() || test.stdout.trim() || `exit ${test.exitCode}`,
      );
    }
    await runChecked(server, reloadArgv, { pool, timeoutMs: 60_000 });
    await waitForRoute(server, input, version, { pool });
    return { siteFile, changed };
  });
}

export interface UnrouteAppInput {
  proxy: ProxyTarget;
  appId: string;
  /** Where the site listened (as given to routeApp), to wait until nginx no longer serves it. */
  listenPort?: number;
  listenAddress?: string;
}

/**
 * Remove the app's site and reload nginx (its domains then get nginx's default server). Returns
 * once nginx no longer serves the site, so the app's containers can be removed right after.
 */
export async function unrouteApp(
  server: HostServer,
  input: UnrouteAppInput,
  { pool = sshPool }: RuntimeOptions = {},
): Promise<{ removed: boolean }> {
  const sitesDir = v.absolutePath('proxy.sitesDir', input.proxy.sitesDir);
  const siteFile = posix.join(sitesDir, siteFileName(input.appId));
  const reloadArgv = argv('proxy.reloadArgv', input.proxy.reloadArgv);
  return withProxyLock(server, sitesDir, async () => {
    const removed = (await readIfExists(server, siteFile, { pool })) !== null;
    await removeFile(server, siteFile, { pool });
    await runChecked(server, reloadArgv, { pool, timeoutMs: 60_000 });
    if (removed) await waitForRoute(server, input, null, { pool });
    return { removed };
  });
}

function argv(field: string, value: string[]): string[] {
  if (!Array.isArray(value) || value.length === 0)
    throw new v.CommandInputError(field, 'must be a non-empty argv');
  return value.map((arg, i) => v.noNul(`${field}[${i}]`, arg));
}

/**
 * Until nginx answers the route check with `version` several times in a row (new connections
 * all reach the new workers), or, for `null`, no longer answers it at all.
 */
async function waitForRoute(
  server: HostServer,
  where: { appId: string; listenPort?: number; listenAddress?: string },
  version: string | null,
  { pool = sshPool }: RuntimeOptions,
): Promise<void> {
  const started = Date.now();
  let confirmations = 0;
  let last = '';
  while (Date.now() - started < ROUTE_CHECK_TIMEOUT_MS) {
    let served: string | null;
    try {
      const res = await httpGetViaServer(
        server,
        {
          port: where.listenPort ?? 80,
          path: ROUTE_CHECK_PATH,
          host: routeCheckName(where.appId),
          // nginx's "[::1]" is the address ::1.
          ...(where.listenAddress === undefined
            ? {}
            : { address: where.listenAddress.replace(/^\[(.*)\]$/, '$1') }),
          timeoutMs: 5_000,
        },
        { pool },
      );
      last = `HTTP ${res.status} ${res.body.trim().slice(0, 80)}`;
      served = res.status === 200 ? res.body.trim() : null;
    } catch (err) {
      last = (err as Error).message;
      // Nothing listening serves no site; any other failure proves nothing either way.
      served = err instanceof LoopbackConnectError && err.reason === 'connection refused' ? null : '?';
    }
    confirmations = served === version ? confirmations + 1 : 0;
    if (confirmations >= ROUTE_CHECK_CONFIRMATIONS) return;
    await sleep(confirmations > 0 ? 20 : 100);
  }
  const expected = version === null ? 'without' : 'with';
  throw new ProxyReloadError(
    `nginx on ${serverLabel(server)} does not serve ${where.appId} ${expected} its new site ${ROUTE_CHECK_TIMEOUT_MS / 1000} s after the reload (last answer: ${last})`,
    serverLabel(server),
  );
}
