// How the CLI shows the stack: a readable table or JSON, with secrets masked by default.
import type { Stack } from './types.js';

export type StackEndpoints = Partial<Omit<Stack, 'stop'>>;

export interface SummaryRow {
  service: string;
  endpoint: string;
  details: string;
  /** Only for `status`: whether the service answered. */
  up?: boolean;
}

const MASK = '****';

export function maskSecrets(endpoints: StackEndpoints, showSecrets: boolean): StackEndpoints {
  if (showSecrets) return endpoints;
  const masked: StackEndpoints = { ...endpoints };
  if (endpoints.postgres) {
    const { password } = endpoints.postgres;
    masked.postgres = {
      ...endpoints.postgres,
      password: MASK,
      url: endpoints.postgres.url.replace(`:${encodeURIComponent(password)}@`, `:${MASK}@`),
    };
  }
  if (endpoints.hosts) masked.hosts = endpoints.hosts.map((host) => ({ ...host, privateKey: MASK }));
  return masked;
}

/** Per piece whether it answered (`status`): keys are Stack fields, hosts by `hosts:<name>`. */
export type UpMap = Record<string, boolean>;

/** One row per piece; callers pass endpoints already masked. */
export function summaryRows(endpoints: StackEndpoints, up?: UpMap): SummaryRow[] {
  const rows: (SummaryRow & { key: string })[] = [];
  const { temporal, docker, hosts, postgres, nginx, pebble, images } = endpoints;
  if (temporal) {
    rows.push({
      key: 'temporal',
      service: 'Temporal',
      endpoint: `${temporal.address} (namespace ${temporal.namespace})`,
      details: `Web UI ${temporal.uiUrl}; search attributes ${Object.keys(temporal.searchAttributes).join(', ')}`,
    });
  }
  if (docker)
    rows.push({
      key: 'docker',
      service: 'Docker',
      endpoint: `unix://${docker.socketPath}`,
      details: 'host networking only',
    });
  for (const host of hosts ?? []) {
    rows.push({
      key: `hosts:${host.name}`,
      service: `SSH ${host.name}`,
      endpoint: `ssh://${host.username}@${host.host}:${host.port}`,
      details: `key ${host.privateKeyPath}; Docker ${host.dockerSocketPath}`,
    });
  }
  if (postgres)
    rows.push({
      key: 'postgres',
      service: 'PostgreSQL',
      endpoint: postgres.url,
      details: `superuser ${postgres.user}`,
    });
  if (nginx) {
    rows.push({
      key: 'nginx',
      service: 'nginx',
      endpoint: `http://127.0.0.1:${nginx.httpPort} https://127.0.0.1:${nginx.httpsPort}`,
      details: `sites ${nginx.sitesDir}; reload: ${nginx.reloadArgv.join(' ')}`,
    });
  }
  if (pebble) {
    rows.push({
      key: 'pebble',
      service: 'ACME (Pebble)',
      endpoint: pebble.directoryUrl,
      details: `CA ${pebble.tlsCaPath}; challtestsrv ${pebble.challtestsrvUrl}`,
    });
  }
  if (images) {
    rows.push({
      key: 'images',
      service: 'Images',
      endpoint: images.base,
      details: `Odoo stand-in (TEST FIXTURE): ${Object.values(images.odoo).join(', ')}`,
    });
  }
  return rows.map(({ key, ...row }) => (up ? { ...row, up: up[key] ?? false } : row));
}

export function formatTable(rows: SummaryRow[]): string {
  const withState = rows.some((row) => row.up !== undefined);
  const header = ['SERVICE', ...(withState ? ['STATE'] : []), 'ENDPOINT', 'DETAILS'];
  const lines = rows.map((row) => [
    row.service,
    ...(withState ? [row.up ? 'up' : 'DOWN'] : []),
    row.endpoint,
    row.details,
  ]);
  const widths = header.map((title, i) =>
    Math.max(title.length, ...lines.map((line) => line[i]?.length ?? 0)),
  );
  const render = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [render(header), ...lines.map(render)].join('\n');
}
