// The runtime's pure parts: port parsing and choice, container bodies, the routed site text,
// Docker's output framing. The executors are tested against the real stack in
// runtime.stack.test.ts.
import { describe, expect, it } from 'vitest';
import { CommandInputError } from '../src/commands/validate.js';
import { createdNanos } from '../src/runtime/allocate-port.js';
import {
  bodySizeMb,
  choosePortPair,
  claimedPorts,
  commandOnceRequest,
  DockerLineSplitter,
  isHealthy,
  odooOnceRequest,
  odooServeCommand,
  onceContainerName,
  parseProcNetTcp,
  parseSsListening,
  portsFromLabels,
  releaseContainerRequest,
  renderRoute,
  routeCheckName,
} from '../src/runtime/index.js';
import { validPortRange } from '../src/runtime/ports.js';

describe('ports', () => {
  it('reads listening ports from ss and from /proc/net/tcp', () => {
    const ss = [
      'LISTEN 0      128      0.0.0.0:2024  0.0.0.0:*',
      'LISTEN 0      4096   127.0.0.1:20000 0.0.0.0:*',
      'LISTEN 0      4096   127.0.0.53%lo:53 0.0.0.0:*',
      'LISTEN 0      511       [::]:443      [::]:*',
      '',
    ].join('\n');
    expect([...parseSsListening(ss)].sort()).toEqual([20000, 2024, 443, 53].sort());
    const proc = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0100007F:4E20 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1',
      '   1: 0100007F:4E22 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 2 1',
      '   0: 00000000000000000000000000000000:01BB 00000000000000000000000000000000:0000 0A 0 0 0 0 0 0',
    ].join('\n');
    // 0x4E20 = 20000 listens; 0x4E22 is an established connection, not a listener.
    expect([...parseProcNetTcp(proc)].sort()).toEqual([20000, 443].sort());
  });

  it('takes P and P+1 (and any gevent port) as claimed by a release container', () => {
    const claimed = claimedPorts([
      { Labels: { 'org.cloudwady.port': '20000' } },
      { Labels: { 'org.cloudwady.port': '20010', 'org.cloudwady.gevent-port': '20011' } },
      { Labels: { 'org.cloudwady.port': 'nonsense' } },
      { Labels: {} },
    ]);
    expect([...claimed].sort()).toEqual([20000, 20001, 20010, 20011]);
    expect(portsFromLabels({ 'org.cloudwady.port': '20010', 'org.cloudwady.gevent-port': '20011' })).toEqual({
      port: 20010,
      geventPort: 20011,
    });
    expect(portsFromLabels({ 'org.cloudwady.port': '70000' })).toBeNull();
  });

  it('chooses an aligned free pair, deterministically per name, and none when full', () => {
    const range = [20000, 20007] as const;
    const first = choosePortPair(range, new Set(), 'cw-app-r1');
    expect(first).not.toBeNull();
    expect(((first as number) - 20000) % 2).toBe(0);
    expect(choosePortPair(range, new Set(), 'cw-app-r1')).toBe(first);
    // Either port of a pair being taken makes the pair unavailable.
    const next = choosePortPair(range, new Set([(first as number) + 1]), 'cw-app-r1');
    expect(next).not.toBe(first);
    expect(choosePortPair(range, new Set([20000, 20003, 20004, 20007]), 'x')).toBeNull();
    expect(choosePortPair([20000, 20001], new Set(), 'x')).toBe(20000);
  });

  it('refuses unusable port ranges', () => {
    expect(validPortRange(undefined)).toEqual([20000, 29999]);
    for (const range of [
      [80, 90],
      [30000, 30000],
      [30001, 30000],
      [60000, 70000],
    ] as const) {
      expect(() => validPortRange(range)).toThrow(CommandInputError);
    }
  });

  it("orders Docker's Created times to the nanosecond", () => {
    expect(createdNanos('2024-05-01T10:00:00.12Z') < createdNanos('2024-05-01T10:00:00.123Z')).toBe(true);
    expect(createdNanos('2024-05-01T10:00:00.999999999Z') < createdNanos('2024-05-01T10:00:01Z')).toBe(true);
    expect(createdNanos('2024-05-01T12:00:00.5+02:00')).toBe(createdNanos('2024-05-01T10:00:00.500Z'));
  });
});

describe('container bodies', () => {
  const spec = {
    appId: 'shop',
    releaseId: 'r20240501',
    image: 'cloudwady/shop:0123456789abcdef',
    configPath: '/srv/cloudwady/shop/releases/r20240501/odoo.conf',
    dataDir: '/srv/cloudwady/shop/data',
  };

  it('serves Odoo on loopback with its ports on the command line and as labels', () => {
    expect(odooServeCommand({ port: 20000, geventPort: 20001 })).toEqual([
      'odoo',
      '-c',
      '/etc/odoo/odoo.conf',
      '--http-port',
      '20000',
      '--http-interface',
      '127.0.0.1',
      '--gevent-port',
      '20001',
    ]);
    const body = releaseContainerRequest({
      ...spec,
      port: 20000,
      geventPort: null,
      env: { PGAPPNAME: 'shop' },
    });
    expect(body).toMatchObject({
      name: 'cw-shop-r20240501',
      Image: spec.image,
      Cmd: ['odoo', '-c', '/etc/odoo/odoo.conf', '--http-port', '20000', '--http-interface', '127.0.0.1'],
      Env: ['CLOUDWADY_RELEASE=r20240501', 'PGAPPNAME=shop'],
      Labels: {
        'org.cloudwady.app': 'shop',
        'org.cloudwady.release': 'r20240501',
        'org.cloudwady.port': '20000',
        'org.cloudwady.role': 'release',
      },
      HostConfig: { NetworkMode: 'host', RestartPolicy: { Name: 'unless-stopped' } },
    });
    expect(body.Labels).not.toHaveProperty('org.cloudwady.gevent-port');
    expect(body.HostConfig?.Mounts).toEqual([
      { Type: 'bind', Source: spec.configPath, Target: '/etc/odoo/odoo.conf', ReadOnly: true },
      { Type: 'bind', Source: spec.dataDir, Target: '/var/lib/odoo', ReadOnly: false },
    ]);
  });

  it('names one-off runs by their arguments and never restarts them', () => {
    const args = ['-d', 'shop', '-i', 'base', '--stop-after-init'];
    expect(onceContainerName('shop', 'r20240501', args)).toMatch(/^cw-shop-r20240501-once-[0-9a-f]{12}$/);
    expect(onceContainerName('shop', 'r20240501', args)).toBe(
      onceContainerName('shop', 'r20240501', [...args]),
    );
    expect(onceContainerName('shop', 'r20240501', args)).not.toBe(
      onceContainerName('shop', 'r20240501', ['-u', 'all']),
    );

    const body = odooOnceRequest({ ...spec, args });
    expect(body.name).toBe(onceContainerName('shop', 'r20240501', args));
    expect(body.Cmd).toEqual(['odoo', '-c', '/etc/odoo/odoo.conf', ...args]);
    expect(body.HostConfig?.RestartPolicy).toEqual({ Name: 'no', MaximumRetryCount: 0 });
    expect(body.HostConfig?.NetworkMode).toBe('host');
    expect(body.Labels?.['org.cloudwady.role']).toBe('once');
    expect(body.OpenStdin).toBeUndefined();
    // A subcommand goes first, where Odoo looks for it.
    expect(odooOnceRequest({ ...spec, args: ['neutralize', '-d', 'shop'] }).Cmd).toEqual([
      'odoo',
      'neutralize',
      '-c',
      '/etc/odoo/odoo.conf',
      '-d',
      'shop',
    ]);
  });

  it('keeps secrets of a command run in its environment, with stdin open once', () => {
    const body = commandOnceRequest({
      name: 'cw-psql-1',
      image: 'cloudwady/odoo-standin:17.0',
      argv: ['psql', '--host', '127.0.0.1'],
      env: { PGPASSWORD: 's3cret' },
      stdin: true,
    });
    expect(body).toMatchObject({
      Entrypoint: ['psql'],
      Cmd: ['--host', '127.0.0.1'],
      Env: ['PGPASSWORD=s3cret'],
      OpenStdin: true,
      StdinOnce: true,
      HostConfig: { NetworkMode: 'host', RestartPolicy: { Name: 'no' } },
    });
    expect(JSON.stringify([body.Entrypoint, body.Cmd])).not.toContain('s3cret');
    expect(() => commandOnceRequest({ name: 'x', image: 'i', argv: [], stdin: false })).toThrow(
      CommandInputError,
    );
  });
});

describe('routed site', () => {
  const route = {
    proxy: { sitesDir: '/etc/nginx/sites', reloadArgv: ['nginx', '-s', 'reload'], testArgv: ['nginx', '-t'] },
    appId: 'shop',
    domains: ['shop.example.com', 'www.shop.example.com'],
    upstream: { port: 20000, geventPort: 20001 },
    listenPort: 8080,
    listenAddress: '127.0.0.1',
    maintenanceDir: '/srv/cloudwady/maintenance',
  };

  it('proxies to the release, /websocket to its gevent port, and adds the route check', () => {
    const { content, version, page } = renderRoute(route);
    expect(page).toBeNull();
    expect(content).toContain('server_name shop.example.com www.shop.example.com;');
    expect(content).toContain('listen 127.0.0.1:8080;');
    expect(content).toMatch(/location \/websocket \{\n\s+proxy_pass http:\/\/127\.0\.0\.1:20001;/);
    expect(content).toMatch(/location \/ \{\n\s+proxy_pass http:\/\/127\.0\.0\.1:20000;/);
    expect(content).toContain('alias /etc/nginx/acme-challenge/;');
    expect(content).toContain(`server_name ${routeCheckName('shop')};`);
    expect(content).toContain(`return 200 "${version}\\n";`);
    expect(routeCheckName('shop')).toMatch(/^route-check-[0-9a-f]{16}\.cloudwady\.invalid$/);

    // Without a gevent port /websocket goes to the HTTP port; another upstream is another version.
    const threaded = renderRoute({ ...route, upstream: { port: 20002, geventPort: null } });
    expect(threaded.content).toMatch(/location \/websocket \{\n\s+proxy_pass http:\/\/127\.0\.0\.1:20002;/);
    expect(threaded.version).not.toBe(version);
    expect(renderRoute(route).version).toBe(version);
  });

  it('renders the maintenance site and page', () => {
    const { content, page } = renderRoute({
      ...route,
      upstream: 'maintenance',
      maintenance: { title: 'Back <soon>', retryAfterSeconds: 60 },
    });
    expect(content).toContain('root /srv/cloudwady/maintenance;');
    expect(content).toContain('add_header Retry-After 60 always;');
    expect(content).not.toContain('proxy_pass');
    expect(page).toContain('<h1>Back &#60;soon&#62;</h1>');
  });

  it('refuses hostile input before rendering anything', () => {
    const bad = [
      { ...route, domains: ['evil.com;\n}'] },
      { ...route, domains: ['evil.com; include /etc/passwd'] },
      { ...route, maintenanceDir: '/srv/x;\n}' },
      { ...route, proxy: { ...route.proxy, sitesDir: 'relative/sites' } },
      { ...route, upstream: { port: 70000, geventPort: null } },
      { ...route, limits: { bodySize: '1m;' } },
    ];
    for (const input of bad) expect(() => renderRoute(input)).toThrow(CommandInputError);
  });

  it("reads nginx's body size syntax", () => {
    expect(bodySizeMb('128m')).toBe(128);
    expect(bodySizeMb('2G')).toBe(2048);
    expect(bodySizeMb('512k')).toBe(1);
    expect(bodySizeMb('3000000')).toBe(3);
    expect(() => bodySizeMb('1.5g')).toThrow(CommandInputError);
  });
});

describe('health and output', () => {
  it('passes only 200 with status "pass"', () => {
    expect(isHealthy(200, '{"status": "pass"}')).toBe(true);
    expect(isHealthy(200, '{"status": "fail"}')).toBe(false);
    expect(isHealthy(500, '{"status": "pass"}')).toBe(false);
    expect(isHealthy(200, '<html>')).toBe(false);
  });

  it("splits Docker's multiplexed frames into lines per stream, across chunk boundaries", () => {
    const frame = (stream: number, text: string) => {
      const payload = Buffer.from(text);
      const header = Buffer.alloc(8);
      header[0] = stream;
      header.writeUInt32BE(payload.length, 4);
      return Buffer.concat([header, payload]);
    };
    const data = Buffer.concat([frame(1, 'one\ntw'), frame(2, 'err ü\n'), frame(1, 'o\nlast')]);
    const lines: [string, string][] = [];
    const splitter = new DockerLineSplitter((line, stream) => lines.push([stream, line]));
    for (let i = 0; i < data.length; i += 3) splitter.push(data.subarray(i, i + 3));
    splitter.end();
    expect(lines).toEqual([
      ['stdout', 'one'],
      ['stderr', 'err ü'],
      ['stdout', 'two'],
      ['stdout', 'last'],
    ]);

    const raw: string[] = [];
    const tty = new DockerLineSplitter((line) => raw.push(line));
    tty.push(Buffer.from('plain\r\ntext'));
    tty.end();
    expect(raw).toEqual(['plain', 'text']);
  });
});
