// Pure builders of the Engine API bodies the runtime sends: a release's long-running container
// and one-off containers (odoo -i/-u/neutralize, psql). They start from commands/'
// createContainerRequest (name, host network, mounts, labels, log rotation) and add what the
// runtime owns: the odoo command line, port labels, the restart policy of one-off runs.
import { createHash } from 'node:crypto';
import type { ContainerCreateOptions } from 'dockerode';
import { containerName, ODOO_CONFIG_TARGET, odooMounts } from '../commands/app-container.js';
import { createContainerRequest } from '../commands/containers.js';
import * as v from '../commands/validate.js';
import { type ContainerRole, portLabels, type ReleasePorts, ROLE_LABEL } from './labels.js';

/** Odoo listens on the server's loopback only; nginx is the only way in. */
export const ODOO_HTTP_INTERFACE = '127.0.0.1';

/** `odoo -c /etc/odoo/odoo.conf --http-port P --http-interface 127.0.0.1 [--gevent-port P+1]`. */
export function odooServeCommand({ port, geventPort }: ReleasePorts): string[] {
  return [
    'odoo',
    '-c',
    ODOO_CONFIG_TARGET,
    '--http-port',
    String(v.port('port', port)),
    '--http-interface',
    ODOO_HTTP_INTERFACE,
    ...(geventPort === null ? [] : ['--gevent-port', String(v.port('geventPort', geventPort))]),
  ];
}

export interface ReleaseContainerSpec extends ReleasePorts {
  appId: string;
  releaseId: string;
  image: string;
  /** odoo.conf on the host (mounted read-only at /etc/odoo/odoo.conf). */
  configPath: string;
  /** Odoo's data dir on the host (filestore, sessions), mounted at /var/lib/odoo. */
  dataDir: string;
  env?: Record<string, string>;
  stopTimeoutSeconds?: number;
}

function withRole(body: ContainerCreateOptions, role: ContainerRole, extra: Record<string, string> = {}) {
  return { ...body, Labels: { ...body.Labels, ...extra, [ROLE_LABEL]: role } };
}

/** The release's serving container: host network, restart unless-stopped, its ports as labels. */
export function releaseContainerRequest(spec: ReleaseContainerSpec): ContainerCreateOptions {
  const body = createContainerRequest({
    appId: spec.appId,
    release: spec.releaseId,
    image: spec.image,
    command: odooServeCommand(spec),
    // CLOUDWADY_RELEASE tells which release answers (Odoo ignores it; the test stand-in shows it).
    env: { CLOUDWADY_RELEASE: spec.releaseId, ...spec.env },
    mounts: odooMounts(spec),
    ...(spec.stopTimeoutSeconds === undefined ? {} : { stopTimeoutSeconds: spec.stopTimeoutSeconds }),
  });
  return withRole(body, 'release', portLabels(spec));
}

/** Deterministic name of a one-off run: a retry after a crash finds (and replaces) its leftover. */
export function onceContainerName(appId: string, releaseId: string, args: readonly string[]): string {
  const hash = createHash('sha256').update(JSON.stringify(args)).digest('hex').slice(0, 12);
  return `${containerName(appId, releaseId)}-once-${hash}`;
}

/** Settings every one-off container shares: never restarted, stdin only when fed. */
function oneOff(body: ContainerCreateOptions, stdin: boolean): ContainerCreateOptions {
  return {
    ...body,
    AttachStdout: true,
    AttachStderr: true,
    ...(stdin ? { AttachStdin: true, OpenStdin: true, StdinOnce: true } : {}),
    Tty: false,
    HostConfig: { ...body.HostConfig, RestartPolicy: { Name: 'no', MaximumRetryCount: 0 } },
  };
}

export interface OdooOnceSpec {
  appId: string;
  releaseId: string;
  image: string;
  configPath: string;
  dataDir: string;
  /** Arguments after `odoo -c /etc/odoo/odoo.conf` (e.g. -d db -i base --stop-after-init). */
  args: string[];
  env?: Record<string, string>;
}

/** A one-off `odoo -c /etc/odoo/odoo.conf ...args` with the release's image, config and data. */
export function odooOnceRequest(spec: OdooOnceSpec): ContainerCreateOptions {
  // `neutralize` is a subcommand: it goes before the options, as `odoo neutralize -c ...`.
  const [first, ...rest] = spec.args;
  const command =
    first !== undefined && /^[a-z][a-z_-]*$/.test(first)
      ? ['odoo', first, '-c', ODOO_CONFIG_TARGET, ...rest]
      : ['odoo', '-c', ODOO_CONFIG_TARGET, ...spec.args];
  const body = createContainerRequest({
    appId: spec.appId,
    release: spec.releaseId,
    image: spec.image,
    command,
    env: { CLOUDWADY_RELEASE: spec.releaseId, ...spec.env },
    mounts: odooMounts(spec),
  });
  return oneOff(
    { ...withRole(body, 'once'), name: onceContainerName(spec.appId, spec.releaseId, spec.args) },
    false,
  );
}

export interface CommandOnceSpec {
  name: string;
  image: string;
  /** argv run as the container's entrypoint (the image's own entrypoint is bypassed). */
  argv: string[];
  /** Environment (secrets go here: never in argv). */
  env?: Record<string, string>;
  stdin: boolean;
}

/** A one-off container running `argv` directly, not tied to an app (e.g. psql). */
export function commandOnceRequest(spec: CommandOnceSpec): ContainerCreateOptions {
  const [entrypoint, ...cmd] = spec.argv.map((arg, i) => v.noNul(`argv[${i}]`, arg));
  if (entrypoint === undefined) throw new v.CommandInputError('argv', 'must not be empty');
  const env = Object.entries(spec.env ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(
      ([name, value]) => `${v.envName('env name', name)}=${v.noNul(`env ${name}`, value, { secret: true })}`,
    );
  return oneOff(
    {
      name: v.containerName('name', spec.name),
      Image: v.imageRef('image', spec.image),
      Entrypoint: [entrypoint],
      Cmd: cmd,
      Env: env,
      Labels: { [ROLE_LABEL]: 'once' },
      HostConfig: { NetworkMode: 'host' },
    },
    spec.stdin,
  );
}
