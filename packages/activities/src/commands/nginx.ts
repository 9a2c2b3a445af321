// Renders an app's nginx site (one file per app in the proxy's sites dir). Every value that
// reaches the config is validated to a narrow shape first (host names, absolute safe paths,
// numbers), so no input can add a directive, a block or a variable to the file.
import * as v from './validate.js';

export interface NginxListen {
  /** IPv4 address or bracketed IPv6 to bind (default: all addresses). */
  address?: string;
  /** Plain HTTP port (default 80). */
  httpPort?: number;
  /** HTTPS port when `tls` is set (default 443). */
  httpsPort?: number;
}

export interface NginxSite {
  appId: string;
  /** Every domain of the app's URLs; all of them are this server's names. */
  domains: string[];
  /** Odoo's `http_port` on 127.0.0.1. */
  httpPort: number;
  /** Odoo's `gevent_port`: serves /websocket when workers > 0. */
  geventPort?: number;
  /** Odoo `workers`: with 0 (threaded mode) /websocket is served by the http port itself. */
  workers: number;
  /** Directory whose files are served at /.well-known/acme-challenge/ (HTTP-01). */
  acmeChallengeDir: string;
  listen?: NginxListen;
  /** Serve HTTPS with this certificate; plain HTTP then only answers ACME and redirects. */
  tls?: { certificatePath: string; keyPath: string };
  /** Largest upload, in MiB (default 128: database restores and attachments). */
  clientMaxBodySizeMb?: number;
  /** proxy read/send timeout in seconds (default 720, Odoo's long requests). */
  proxyTimeoutSeconds?: number;
}

export interface MaintenanceOptions {
  /** Directory holding `maintenance.html` (see `maintenancePage`). */
  pageDir: string;
  /** Seconds clients are told to wait (Retry-After). Default 300. */
  retryAfterSeconds?: number;
}

export const MAINTENANCE_PAGE_FILE = 'maintenance.html';

/** File name of an app's site in the sites dir. */
export function siteFileName(appId: string): string {
  return `cloudwady-${v.appId('appId', appId)}.conf`;
}

/** The site routing the app's domains to its running release. */
export function renderSite(site: NginxSite): string {
  return render(site, (s) => [
    ...proxyLocation('/websocket', s.workers > 0 ? (s.geventPort as number) : s.httpPort, true),
    ...proxyLocation('/', s.httpPort, false),
  ]);
}

/** The same site answering 503 with the maintenance page for every URL except ACME challenges. */
export function renderMaintenanceSite(site: NginxSite, options: MaintenanceOptions): string {
  const pageDir = v.absolutePath('pageDir', options.pageDir);
  const retryAfter = v.integer('retryAfterSeconds', options.retryAfterSeconds ?? 300, 1, 86400);
  return render(site, () => [
    'error_page 503 @maintenance;',
    // A named location cannot be requested from outside: every URL, even the page's, is a 503.
    'location @maintenance {',
    `    root ${pageDir};`,
    `    rewrite ^ /${MAINTENANCE_PAGE_FILE} break;`,
    `    add_header Retry-After ${retryAfter} always;`,
    '    add_header Cache-Control "no-store" always;',
    '}',
    'location / {',
    '    return 503;',
    '}',
  ]);
}

/** The maintenance page itself; title and message are HTML-escaped. */
export function maintenancePage({ title, message }: { title: string; message: string }): string {
  const t = escapeHtml(v.noNul('title', title));
  const m = escapeHtml(v.noNul('message', message));
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${t}</title></head>`,
    `<body style="font-family: sans-serif; margin: 4em auto; max-width: 40em;"><h1>${t}</h1><p>${m}</p></body>`,
    '</html>',
    '',
  ].join('\n');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

interface ValidSite {
  appId: string;
  domains: string[];
  httpPort: number;
  geventPort: number | undefined;
  workers: number;
  acmeChallengeDir: string;
  address: string | undefined;
  listenHttp: number;
  listenHttps: number;
  tls: { certificatePath: string; keyPath: string } | undefined;
  clientMaxBodySizeMb: number;
  proxyTimeoutSeconds: number;
}

function validate(site: NginxSite): ValidSite {
  if (!Array.isArray(site.domains) || site.domains.length === 0) {
    throw new v.CommandInputError('domains', 'must list at least one domain');
  }
  const domains = [...new Set(site.domains.map((d, i) => v.hostname(`domains[${i}]`, d)))];
  const workers = v.integer('workers', site.workers, 0, 1024);
  const geventPort = site.geventPort === undefined ? undefined : v.port('geventPort', site.geventPort);
  if (workers > 0 && geventPort === undefined) {
    throw new v.CommandInputError('geventPort', 'is required when workers > 0');
  }
  const address = site.listen?.address;
  if (address !== undefined && !/^(?:\d{1,3}\.){3}\d{1,3}$|^\[[0-9a-fA-F:.]+\]$/.test(address)) {
    throw new v.CommandInputError('listen.address', 'must be an IPv4 address or [IPv6] address', address);
  }
  return {
    appId: v.appId('appId', site.appId),
    domains,
    httpPort: v.port('httpPort', site.httpPort),
    geventPort,
    workers,
    acmeChallengeDir: v.absolutePath('acmeChallengeDir', site.acmeChallengeDir),
    address,
    listenHttp: v.port('listen.httpPort', site.listen?.httpPort ?? 80),
    listenHttps: v.port('listen.httpsPort', site.listen?.httpsPort ?? 443),
    tls:
      site.tls === undefined
        ? undefined
        : {
            certificatePath: v.absolutePath('tls.certificatePath', site.tls.certificatePath),
            keyPath: v.absolutePath('tls.keyPath', site.tls.keyPath),
          },
    clientMaxBodySizeMb: v.integer('clientMaxBodySizeMb', site.clientMaxBodySizeMb ?? 128, 1, 102400),
    proxyTimeoutSeconds: v.integer('proxyTimeoutSeconds', site.proxyTimeoutSeconds ?? 720, 1, 86400),
  };
}

/** One or two server blocks; `locations` gives what the app answers (proxy or maintenance). */
function render(site: NginxSite, locations: (s: ValidSite) => string[]): string {
  const s = validate(site);
  const listen = (port: number, ssl: boolean) =>
    `listen ${s.address === undefined ? '' : `${s.address}:`}${port}${ssl ? ' ssl' : ''};`;
  const common = [
    `server_name ${s.domains.join(' ')};`,
    '',
    `client_max_body_size ${s.clientMaxBodySizeMb}m;`,
    'proxy_connect_timeout 10s;',
    `proxy_read_timeout ${s.proxyTimeoutSeconds}s;`,
    `proxy_send_timeout ${s.proxyTimeoutSeconds}s;`,
    '',
    'location ^~ /.well-known/acme-challenge/ {',
    `    alias ${s.acmeChallengeDir}/;`,
    '    default_type text/plain;',
    '}',
  ];
  const servers =
    s.tls === undefined
      ? [[listen(s.listenHttp, false), ...common, ...locations(s)]]
      : [
          [
            listen(s.listenHttp, false),
            ...common,
            'location / {',
            `    return 301 https://$host${s.listenHttps === 443 ? '' : `:${s.listenHttps}`}$request_uri;`,
            '}',
          ],
          [
            listen(s.listenHttps, true),
            `ssl_certificate ${s.tls.certificatePath};`,
            `ssl_certificate_key ${s.tls.keyPath};`,
            ...common,
            ...locations(s),
          ],
        ];
  return [
    `# Managed by CloudWady for app ${s.appId}: rewritten on every deploy, do not edit.`,
    ...servers.flatMap((lines) => ['server {', ...lines.map((l) => (l === '' ? '' : `    ${l}`)), '}']),
    '',
  ].join('\n');
}

const PROXY_HEADERS = [
  'proxy_set_header Host $host;',
  'proxy_set_header X-Forwarded-Host $host;',
  'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
  'proxy_set_header X-Forwarded-Proto $scheme;',
  'proxy_set_header X-Real-IP $remote_addr;',
];

function proxyLocation(path: '/' | '/websocket', port: number, websocket: boolean): string[] {
  return [
    `location ${path} {`,
    `    proxy_pass http://127.0.0.1:${port};`,
    // proxy_set_header is not inherited once a location sets any, so each location lists all.
    ...PROXY_HEADERS.map((h) => `    ${h}`),
    ...(websocket
      ? [
          '    proxy_http_version 1.1;',
          '    proxy_set_header Upgrade $http_upgrade;',
          '    proxy_set_header Connection "upgrade";',
        ]
      : ['    proxy_redirect off;']),
    '}',
  ];
}
