// ACME: Pebble (a test ACME server) plus pebble-challtestsrv as its DNS, which answers 127.0.0.1
// for every name, so HTTP-01 validation reaches the stack's nginx on its HTTP port.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from './command.js';
import { httpRequest } from './http.js';
import { findExecutable, startDaemon, waitFor } from './process.js';
import type { StackSettings } from './settings.js';
import type { PebbleEndpoint, StackPorts } from './types.js';

const INSTALL = 'apt-get install pebble';

export interface PebbleFiles {
  dir: string;
  caKey: string;
  caCert: string;
  key: string;
  cert: string;
  config: string;
}

export function pebbleFiles(stateDir: string): PebbleFiles {
  const dir = join(stateDir, 'pebble');
  return {
    dir,
    caKey: join(dir, 'ca.key'),
    caCert: join(dir, 'ca.pem'),
    key: join(dir, 'localhost.key'),
    cert: join(dir, 'localhost.pem'),
    config: join(dir, 'pebble-config.json'),
  };
}

export function pebbleEndpoint(stateDir: string, ports: StackPorts): PebbleEndpoint {
  return {
    directoryUrl: `https://127.0.0.1:${ports.pebble}/dir`,
    tlsCaPath: pebbleFiles(stateDir).caCert,
    managementUrl: `https://127.0.0.1:${ports.pebbleManagement}`,
    challtestsrvUrl: `http://127.0.0.1:${ports.challtestsrvManagement}`,
  };
}

export function pebbleConfig(files: PebbleFiles, ports: StackPorts): string {
  const pebble = {
    listenAddress: `127.0.0.1:${ports.pebble}`,
    managementListenAddress: `127.0.0.1:${ports.pebbleManagement}`,
    certificate: files.cert,
    privateKey: files.key,
    httpPort: ports.nginxHttp, // HTTP-01 is validated against the stack's nginx
    tlsPort: ports.nginxHttps,
    ocspResponderURL: '',
    externalAccountBindingRequired: false,
  };
  return `${JSON.stringify({ pebble }, null, 2)}\n`;
}

export function challtestsrvArgv(binary: string, ports: StackPorts): string[] {
  return [
    binary,
    '-management',
    `127.0.0.1:${ports.challtestsrvManagement}`,
    '-dns01',
    `127.0.0.1:${ports.challtestsrvDns}`,
    // Only the DNS role is wanted; nginx serves the challenges themselves.
    '-http01',
    '',
    '-https01',
    '',
    '-tlsalpn01',
    '',
    '-defaultIPv4',
    '127.0.0.1',
    '-defaultIPv6',
    '', // no AAAA answers: validation stays on 127.0.0.1
  ];
}

export function pebbleArgv(binary: string, files: PebbleFiles, ports: StackPorts): string[] {
  return [binary, '-config', files.config, '-dnsserver', `127.0.0.1:${ports.challtestsrvDns}`];
}

/** No validation sleeps; no random nonce rejections (they make tests flaky, not better). */
export const PEBBLE_ENV = { PEBBLE_VA_NOSLEEP: '1', PEBBLE_WFE_NONCEREJECT: '0' } as const;

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** A CA and a certificate for 127.0.0.1/localhost signed by it, for Pebble's own HTTPS (once). */
export async function ensurePebbleCertificates(files: PebbleFiles): Promise<void> {
  await mkdir(files.dir, { recursive: true, mode: 0o755 });
  const openssl = await findExecutable('openssl', ['/usr/bin/openssl'], 'apt-get install openssl');
  if (!existsSync(files.caCert)) {
    const subject = '/CN=CloudWady local stack CA (Pebble HTTPS)';
    await run([
      openssl,
      'req',
      '-x509',
      ...EC_KEY,
      '-keyout',
      files.caKey,
      '-out',
      files.caCert,
      '-days',
      '3650',
      '-subj',
      subject,
    ]);
  }
  if (!existsSync(files.cert)) {
    await run([
      openssl,
      'req',
      '-x509',
      ...EC_KEY,
      '-keyout',
      files.key,
      '-out',
      files.cert,
      '-days',
      '825',
      '-subj',
      '/CN=localhost',
      '-CA',
      files.caCert,
      '-CAkey',
      files.caKey,
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-addext',
      'basicConstraints=critical,CA:FALSE',
      '-addext',
      'extendedKeyUsage=serverAuth',
    ]);
  }
}

/** The ACME directory answers over HTTPS trusted through our CA. */
export async function pebbleAnswers(endpoint: PebbleEndpoint, ca: string): Promise<boolean> {
  try {
    const response = await httpRequest({ url: endpoint.directoryUrl, ca });
    return response.status === 200 && 'newAccount' in JSON.parse(response.body);
  } catch {
    return false;
  }
}

export async function challtestsrvAnswers(url: string): Promise<boolean> {
  try {
    // Any HTTP answer from the management API means it is up (GET / is a 404 there).
    return (await httpRequest({ url })).status > 0;
  } catch {
    return false;
  }
}

async function ensureChalltestsrv(settings: StackSettings, endpoint: PebbleEndpoint): Promise<void> {
  const { ports, log } = settings;
  if (await challtestsrvAnswers(endpoint.challtestsrvUrl)) {
    log(`ACME: reusing pebble-challtestsrv (DNS 127.0.0.1:${ports.challtestsrvDns})`);
    return;
  }
  const binary = await findExecutable('pebble-challtestsrv', ['/usr/bin/pebble-challtestsrv'], INSTALL);
  log(`ACME: starting pebble-challtestsrv (DNS 127.0.0.1:${ports.challtestsrvDns}) ...`);
  const daemon = await startDaemon({
    stateDir: settings.stateDir,
    name: 'challtestsrv',
    argv: challtestsrvArgv(binary, ports),
  });
  await waitFor(() => challtestsrvAnswers(endpoint.challtestsrvUrl), {
    what: `pebble-challtestsrv on ${endpoint.challtestsrvUrl}`,
    timeoutMs: 20_000,
    daemon,
    logFile: daemon.logFile,
    fix: 'check the log; are its ports taken? (CLOUDWADY_PORT_CHALLTESTSRV_MANAGEMENT / _DNS)',
  });
}

export async function ensurePebble(settings: StackSettings): Promise<PebbleEndpoint> {
  const { stateDir, ports, log } = settings;
  const files = pebbleFiles(stateDir);
  const endpoint = pebbleEndpoint(stateDir, ports);
  await ensurePebbleCertificates(files);
  await writeFile(files.config, pebbleConfig(files, ports));
  await ensureChalltestsrv(settings, endpoint);
  const ca = await readFile(files.caCert, 'utf8');
  if (await pebbleAnswers(endpoint, ca)) {
    log(`ACME: reusing Pebble on ${endpoint.directoryUrl}`);
    return endpoint;
  }
  const binary = await findExecutable('pebble', ['/usr/bin/pebble'], INSTALL);
  log(`ACME: starting Pebble on ${endpoint.directoryUrl} ...`);
  const daemon = await startDaemon({
    stateDir,
    name: 'pebble',
    argv: pebbleArgv(binary, files, ports),
    env: { ...process.env, ...PEBBLE_ENV },
  });
  await waitFor(() => pebbleAnswers(endpoint, ca), {
    what: `Pebble on ${endpoint.directoryUrl}`,
    timeoutMs: 20_000,
    daemon,
    logFile: daemon.logFile,
    fix: 'check the log; are its ports taken? (CLOUDWADY_PORT_PEBBLE / _PEBBLE_MANAGEMENT)',
  });
  return endpoint;
}
