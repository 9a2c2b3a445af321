// `cloudwady-stack status`: what the stack would offer and whether each piece answers, without
// starting anything.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { DOCKER_SOCKET, dockerAnswers } from './docker.js';
import { httpRequest } from './http.js';
import { BASE_IMAGE, DEFAULT_ODOO_VERSIONS, standinTag } from './images/index.js';
import { nginxAnswers, nginxEndpoint } from './nginx.js';
import { challtestsrvAnswers, pebbleAnswers, pebbleEndpoint } from './pebble.js';
import { postgresAnswers, postgresEndpoint, postgresFiles } from './postgres.js';
import { resolveSettings, type StackSettings } from './settings.js';
import { describeHost, sshHostFiles, sshHostSpecs, sshLoginWorks, userKeyPath } from './ssh.js';
import type { StackEndpoints, UpMap } from './summary.js';
import { findTemporalCli, temporalAnswers, temporalEndpoint, temporalUiAnswers } from './temporal.js';
import type { SshHost, StackImages, StackOptions } from './types.js';

export interface StackStatus {
  stateDir: string;
  endpoints: StackEndpoints;
  up: UpMap;
}

async function imageExists(name: string): Promise<boolean> {
  const url = `http://docker/images/${encodeURIComponent(name)}/json`;
  return (await httpRequest({ url, socketPath: DOCKER_SOCKET }).catch(() => undefined))?.status === 200;
}

async function hostsStatus(settings: StackSettings, endpoints: StackEndpoints, up: UpMap) {
  if (!existsSync(userKeyPath(settings.stateDir))) return;
  // server-2 counts once it has been set up.
  const secondHost = existsSync(`${sshHostFiles(settings.stateDir, 'server-2').hostKey}.pub`);
  const hosts: SshHost[] = [];
  for (const spec of sshHostSpecs({ ports: settings.ports, secondHost })) {
    if (!existsSync(`${sshHostFiles(settings.stateDir, spec.name).hostKey}.pub`)) continue;
    const host = await describeHost(settings, spec);
    hosts.push(host);
    up[`hosts:${host.name}`] = await sshLoginWorks(host).catch(() => false);
  }
  endpoints.hosts = hosts;
}

export async function stackStatus(options: StackOptions = {}): Promise<StackStatus> {
  const settings = resolveSettings(options);
  const { stateDir, ports } = settings;
  const endpoints: StackEndpoints = { stateDir, ports };
  const up: UpMap = {};
  const checks: Promise<void>[] = [hostsStatus(settings, endpoints, up)];
  const probe = (key: string, check: () => Promise<boolean>) => {
    const record = async () => {
      up[key] = await check().catch(() => false);
    };
    checks.push(record());
  };

  const cliPath = await findTemporalCli(settings.temporalCli).catch(() => '(Temporal CLI not found)');
  const temporal = temporalEndpoint(ports, cliPath);
  endpoints.temporal = temporal;
  probe(
    'temporal',
    async () => (await temporalAnswers(temporal.address)) && temporalUiAnswers(temporal.uiUrl),
  );

  endpoints.docker = { socketPath: DOCKER_SOCKET };
  probe('docker', () => dockerAnswers(DOCKER_SOCKET));

  const pgFiles = postgresFiles(stateDir);
  if (existsSync(pgFiles.passwordFile)) {
    const postgres = postgresEndpoint(ports.postgres, (await readFile(pgFiles.passwordFile, 'utf8')).trim());
    endpoints.postgres = postgres;
    probe('postgres', () => postgresAnswers(postgres));
  }

  endpoints.nginx = nginxEndpoint(stateDir, ports);
  probe('nginx', () => nginxAnswers(ports.nginxHttp));

  const pebble = pebbleEndpoint(stateDir, ports);
  endpoints.pebble = pebble;
  probe('pebble', async () => {
    const ca = await readFile(pebble.tlsCaPath, 'utf8');
    return (await pebbleAnswers(pebble, ca)) && challtestsrvAnswers(pebble.challtestsrvUrl);
  });

  const images: StackImages = {
    base: BASE_IMAGE,
    odoo: Object.fromEntries(DEFAULT_ODOO_VERSIONS.map((version) => [version, standinTag(version)])),
  };
  endpoints.images = images;
  probe('images', async () =>
    (await Promise.all([images.base, ...Object.values(images.odoo)].map(imageExists))).every(Boolean),
  );

  await Promise.all(checks);
  return { stateDir, endpoints, up };
}
