import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRequest } from '../src/http.js';
import { type Stack, startStack } from '../src/index.js';

const exec = promisify(execFile);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function eventually<T>(
  what: string,
  attempt: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await attempt();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${what} within ${timeoutMs} ms (last error: ${String(last)})`);
}

describe('local stack: nginx in front of the Odoo stand-in (TEST FIXTURE)', () => {
  const suffix = randomBytes(4).toString('hex');
  const container = `cwtest-nginx-${suffix}`;
  const hostName = 'smoke.localhost';
  let stack: Stack;
  let siteFile: string;
  let appPort: number;

  const viaNginx = (path: string, host?: string) =>
    httpRequest({
      url: `http://127.0.0.1:${stack.nginx.httpPort}${path}`,
      headers: host ? { host } : undefined,
    });

  beforeAll(async () => {
    stack = await startStack({ services: ['docker', 'images', 'nginx'] });
    appPort = await freePort();
    const image = stack.images.odoo['17.0'];
    if (!image) throw new Error('stack.images.odoo has no 17.0 stand-in');
    await exec('docker', [
      'run',
      '-d',
      '--network',
      'host',
      '--name',
      container,
      image,
      'odoo',
      '--http-port',
      String(appPort),
      '--http-interface',
      '127.0.0.1',
    ]);
    await eventually('the stand-in did not answer /web/health', async () => {
      const response = await httpRequest({ url: `http://127.0.0.1:${appPort}/web/health` });
      return response.status === 200 ? response : undefined;
    });
    siteFile = join(stack.nginx.sitesDir, `cwtest-${suffix}.conf`);
    await writeFile(
      siteFile,
      [
        'server {',
        `    listen 127.0.0.1:${stack.nginx.httpPort};`,
        `    server_name ${hostName};`,
        `    include ${stack.nginx.acmeChallengeSnippet};`,
        '    location / {',
        `        proxy_pass http://127.0.0.1:${appPort};`,
        '        proxy_set_header Host $host;',
        '    }',
        '}',
        '',
      ].join('\n'),
    );
    const [testCommand = '', ...testArgs] = stack.nginx.testArgv;
    await exec(testCommand, testArgs);
    const [reloadCommand = '', ...reloadArgs] = stack.nginx.reloadArgv;
    await exec(reloadCommand, reloadArgs);
  });

  afterAll(async () => {
    await exec('docker', ['rm', '-f', container]).catch(() => {});
    if (siteFile) {
      await rm(siteFile, { force: true });
      const [command = '', ...args] = stack.nginx.reloadArgv;
      await exec(command, args);
    }
    await stack?.stop();
  });

  it(`proxies ${hostName} to the app's /web/health`, async () => {
    // A reload swaps workers asynchronously: wait until the new site answers.
    const response = await eventually('nginx did not route the new site', async () => {
      const answer = await viaNginx('/web/health', hostName);
      return answer.status === 200 ? answer : undefined;
    });
    expect(JSON.parse(response.body)).toEqual({ status: 'pass' });
    expect(response.headers.server).toMatch(/^nginx/);
  });

  it('answers 404 for host names without a site', async () => {
    const response = await viaNginx('/web/health', 'unknown.localhost');
    expect(response.status).toBe(404);
  });
});
