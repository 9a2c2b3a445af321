import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandInputError, type NginxSite, nginxConfig } from '../src/commands/index.js';

const site: NginxSite = {
  appId: 'acme-erp',
  domains: ['erp.acme.com', 'ERP.Acme.org', 'erp.acme.com'],
  httpPort: 18069,
  geventPort: 18072,
  workers: 2,
  acmeChallengeDir: '/srv/cw/acme-challenge',
  listen: { address: '127.0.0.1', httpPort: 18080 },
};

const headers = [
  '        proxy_set_header Host $host;',
  '        proxy_set_header X-Forwarded-Host $host;',
  '        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
  '        proxy_set_header X-Forwarded-Proto $scheme;',
  '        proxy_set_header X-Real-IP $remote_addr;',
];

describe('nginx site renderer', () => {
  it('renders the exact site: all domains, proxy to the app, websocket to gevent, ACME dir', () => {
    expect(nginxConfig.renderSite(site)).toBe(
      [
        '# Managed by CloudWady for app acme-erp: rewritten on every deploy, do not edit.',
        'server {',
        '    listen 127.0.0.1:18080;',
        '    server_name erp.acme.com erp.acme.org;',
        '',
        '    client_max_body_size 128m;',
        '    proxy_connect_timeout 10s;',
        '    proxy_read_timeout 720s;',
        '    proxy_send_timeout 720s;',
        '',
        '    location ^~ /.well-known/acme-challenge/ {',
        '        alias /srv/cw/acme-challenge/;',
        '        default_type text/plain;',
        '    }',
        '    location /websocket {',
        '        proxy_pass http://127.0.0.1:18072;',
        ...headers,
        '        proxy_http_version 1.1;',
        '        proxy_set_header Upgrade $http_upgrade;',
        '        proxy_set_header Connection "upgrade";',
        '    }',
        '    location / {',
        '        proxy_pass http://127.0.0.1:18069;',
        ...headers,
        '        proxy_redirect off;',
        '    }',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('sends /websocket to the http port in threaded mode (workers = 0)', () => {
    const text = nginxConfig.renderSite({ ...site, workers: 0, geventPort: undefined });
    expect(text).toContain('    location /websocket {\n        proxy_pass http://127.0.0.1:18069;');
    expect(() => nginxConfig.renderSite({ ...site, geventPort: undefined })).toThrow(/geventPort/);
  });

  it('with TLS: HTTP answers ACME and redirects, HTTPS proxies', () => {
    const text = nginxConfig.renderSite({
      ...site,
      listen: { httpPort: 80, httpsPort: 443 },
      tls: { certificatePath: '/etc/cw/certs/acme-erp.pem', keyPath: '/etc/cw/certs/acme-erp.key' },
      clientMaxBodySizeMb: 512,
      proxyTimeoutSeconds: 60,
    });
    const [http, https] = text.split('\n}\n');
    expect(http).toContain('    listen 80;');
    expect(http).toContain('        return 301 https://$host$request_uri;');
    expect(http).toContain('location ^~ /.well-known/acme-challenge/');
    expect(http).not.toContain('proxy_pass');
    expect(https).toContain(
      '    listen 443 ssl;\n    ssl_certificate /etc/cw/certs/acme-erp.pem;\n    ssl_certificate_key /etc/cw/certs/acme-erp.key;',
    );
    expect(https).toContain('client_max_body_size 512m;');
    expect(https).toContain('proxy_read_timeout 60s;');
    expect(https).toContain('proxy_pass http://127.0.0.1:18069;');
  });

  it('renders the maintenance variant: 503 with the page for every URL except ACME', () => {
    const text = nginxConfig.renderMaintenanceSite(site, { pageDir: '/srv/cw/maintenance/acme-erp' });
    expect(text).toContain(
      [
        '    error_page 503 @maintenance;',
        '    location @maintenance {',
        '        root /srv/cw/maintenance/acme-erp;',
        '        rewrite ^ /maintenance.html break;',
        '        add_header Retry-After 300 always;',
        '        add_header Cache-Control "no-store" always;',
        '    }',
        '    location / {',
        '        return 503;',
        '    }',
      ].join('\n'),
    );
    expect(text).not.toContain('proxy_pass');
    expect(text).toContain('location ^~ /.well-known/acme-challenge/');
  });

  it('escapes the maintenance page text', () => {
    const page = nginxConfig.maintenancePage({ title: 'Back <soon>', message: `"x" & 'y' <script>` });
    expect(page).toContain('<title>Back &#60;soon&#62;</title>');
    expect(page).toContain('<p>&#34;x&#34; &#38; &#39;y&#39; &#60;script&#62;</p>');
  });

  it('refuses anything that could add to the config', () => {
    const bad: Partial<NginxSite>[] = [
      { domains: [] },
      { domains: ['evil.com; include /etc/passwd'] },
      { domains: ['a.com\n    location / { return 200; }'] },
      { domains: ['a.com }'] },
      { domains: ['*.acme.com'] },
      { domains: ['a_b.com'] },
      { domains: ['-a.com'] },
      { domains: ['a..com'] },
      { domains: ['$host'] },
      { domains: [`${'a'.repeat(64)}.com`] },
      { acmeChallengeDir: '/srv/x;y' },
      { acmeChallengeDir: '/srv/x y' },
      { acmeChallengeDir: '/srv/$x' },
      { acmeChallengeDir: 'srv/x' },
      { acmeChallengeDir: '/srv/../etc' },
      { httpPort: 0 },
      { httpPort: 70000 },
      { httpPort: 18069.5 },
      { workers: -1 },
      { appId: 'Acme ERP' },
      { listen: { address: '0.0.0.0; x' } },
      { tls: { certificatePath: '/c.pem;', keyPath: '/k.pem' } },
      { clientMaxBodySizeMb: 0 },
    ];
    for (const change of bad) {
      expect(() => nginxConfig.renderSite({ ...site, ...change }), JSON.stringify(change)).toThrow(
        CommandInputError,
      );
    }
    expect(() => nginxConfig.renderMaintenanceSite(site, { pageDir: '/x";' })).toThrow(CommandInputError);
    expect(nginxConfig.siteFileName('acme-erp')).toBe('cloudwady-acme-erp.conf');
  });
});

// The rendered files run in the real nginx: syntax, routing, headers, ACME, maintenance.
describe('nginx site in a real nginx', () => {
  let dir: string;
  let app: Server;
  let gevent: Server;
  let nginxPort: number;
  const nginx = (...args: string[]) =>
    execFileSync(
      '/usr/sbin/nginx',
      ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log'), ...args],
      {
        stdio: 'pipe',
      },
    );

  const echo = (name: string) =>
    createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ name, url: req.url, headers: req.headers }));
    });
  const listen = (server: Server) =>
    new Promise<number>((resolve) =>
      server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
    );
  const get = (path: string, host: string) =>
    new Promise<{ status: number; body: string; headers: Record<string, unknown> }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: nginxPort, path, headers: { host } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      });
      req.on('error', reject);
      req.end();
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cw-nginx-'));
    chmodSync(dir, 0o755); // nginx workers run unprivileged and must read the ACME and page files
    for (const sub of ['sites', 'acme', 'maintenance', 'logs']) mkdirSync(join(dir, sub));
    app = echo('app');
    gevent = echo('gevent');
    const [appPort, geventPort, freePort] = await Promise.all([
      listen(app),
      listen(gevent),
      (async () => {
        const probe = createServer();
        const port = await listen(probe);
        await new Promise((r) => probe.close(r));
        return port;
      })(),
    ]);
    nginxPort = freePort;
    writeFileSync(
      join(dir, 'nginx.conf'),
      [
        `pid ${dir}/nginx.pid;`,
        'daemon on;',
        'events {}',
        'http {',
        `  access_log off; client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy;`,
        `  include ${dir}/sites/*.conf;`,
        '}',
        '',
      ].join('\n'),
    );
    const appSite: NginxSite = {
      appId: 'acme-erp',
      domains: ['erp.acme.test', 'www.acme.test'],
      httpPort: appPort,
      geventPort,
      workers: 2,
      acmeChallengeDir: join(dir, 'acme'),
      listen: { address: '127.0.0.1', httpPort: nginxPort },
    };
    writeFileSync(join(dir, 'sites', nginxConfig.siteFileName('acme-erp')), nginxConfig.renderSite(appSite));
    writeFileSync(
      join(dir, 'maintenance.conf.next'),
      nginxConfig.renderMaintenanceSite(appSite, { pageDir: join(dir, 'maintenance') }),
    );
    writeFileSync(
      join(dir, 'maintenance', nginxConfig.MAINTENANCE_PAGE_FILE),
      nginxConfig.maintenancePage({ title: 'Maintenance', message: 'Back soon' }),
    );
    writeFileSync(join(dir, 'acme', 'token-123'), 'token-123.thumbprint');
    nginx('-t');
    nginx();
  });

  afterAll(async () => {
    try {
      nginx('-s', 'stop');
    } catch {}
    await Promise.all([new Promise((r) => app?.close(r)), new Promise((r) => gevent?.close(r))]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('proxies every domain to the app with the forwarding headers', async () => {
    for (const host of ['erp.acme.test', 'www.acme.test']) {
      const res = await get('/web/login?x=1', host);
      expect(res.status).toBe(200);
      const seen = JSON.parse(res.body);
      expect(seen.name).toBe('app');
      expect(seen.url).toBe('/web/login?x=1');
      expect(seen.headers.host).toBe(host);
      expect(seen.headers['x-forwarded-host']).toBe(host);
      expect(seen.headers['x-forwarded-proto']).toBe('http');
      expect(seen.headers['x-forwarded-for']).toBe('127.0.0.1');
      expect(seen.headers['x-real-ip']).toBe('127.0.0.1');
    }
  });

  it('routes /websocket to the gevent port with upgrade headers', async () => {
    const res = await get('/websocket', 'erp.acme.test');
    const seen = JSON.parse(res.body);
    expect(seen.name).toBe('gevent');
    expect(seen.headers.connection).toBe('upgrade');
  });

  it('serves ACME challenges from the directory', async () => {
    const res = await get('/.well-known/acme-challenge/token-123', 'www.acme.test');
    expect(res.status).toBe(200);
    expect(res.body).toBe('token-123.thumbprint');
  });

  it('the TLS variant passes nginx -t with a real certificate', () => {
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=tls.acme.test',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'pipe' },
    );
    const tlsSite = nginxConfig.renderSite({
      appId: 'tls-app',
      domains: ['tls.acme.test'],
      httpPort: 18069,
      workers: 0,
      acmeChallengeDir: join(dir, 'acme'),
      listen: { address: '127.0.0.1', httpPort: nginxPort, httpsPort: nginxPort + 1 },
      tls: { certificatePath: cert, keyPath: key },
    });
    const file = join(dir, 'sites', nginxConfig.siteFileName('tls-app'));
    writeFileSync(file, tlsSite);
    try {
      expect(() => nginx('-t')).not.toThrow();
    } finally {
      rmSync(file);
    }
  });

  it('in maintenance answers 503 with the page for every URL, ACME still served', async () => {
    writeFileSync(
      join(dir, 'sites', nginxConfig.siteFileName('acme-erp')),
      readFileSync(join(dir, 'maintenance.conf.next')),
    );
    nginx('-t');
    nginx('-s', 'reload');
    let res = await get('/web', 'erp.acme.test');
    for (let i = 0; i < 50 && res.status !== 503; i++) {
      await new Promise((r) => setTimeout(r, 100));
      res = await get('/web', 'erp.acme.test');
    }
    expect(res.status).toBe(503);
    expect(res.body).toContain('<h1>Maintenance</h1>');
    expect(res.headers['retry-after']).toBe('300');
    for (const path of ['/', '/websocket', '/web/login', '/maintenance.html', '/@maintenance']) {
      const other = await get(path, 'www.acme.test');
      expect(other.status, path).toBe(503);
      expect(other.body, path).toContain('Back soon');
    }
    const acme = await get('/.well-known/acme-challenge/token-123', 'erp.acme.test');
    expect(acme.status).toBe(200);
    expect(acme.body).toBe('token-123.thumbprint');
  }, 15_000);
});
