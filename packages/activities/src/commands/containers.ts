// Docker Engine API request bodies for an app's containers and images (used through dockerode).
// Pure: the same spec always gives the same body, so tests compare whole objects.
import type { ContainerCreateOptions, ContainerListOptions, ImageBuildOptions } from 'dockerode';
import {
  APP_LABEL,
  type AppContainerSpec,
  appLabels,
  containerName,
  FINGERPRINT_LABEL,
  imageRef,
  validCommand,
  validMounts,
} from './app-container.js';
import * as v from './validate.js';

/** json-file logs with rotation: an app that logs a lot must not fill the host's disk. */
const LOG_CONFIG = { Type: 'json-file', Config: { 'max-size': '50m', 'max-file': '3' } };

/** `POST /containers/create` body (dockerode `createContainer`) for a release's container. */
export function createContainerRequest(spec: AppContainerSpec): ContainerCreateOptions {
  if (spec.envFile !== undefined) {
    throw new v.CommandInputError('envFile', 'the Engine API takes env as values (env), not a file');
  }
  const command = validCommand(spec.command);
  const env = Object.entries(spec.env ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(
      ([name, value]) => `${v.envName('env name', name)}=${v.noNul(`env ${name}`, value, { secret: true })}`,
    );
  return {
    name: containerName(spec.appId, spec.release),
    Image: v.imageRef('image', spec.image),
    ...(command.length > 0 ? { Cmd: command } : {}),
    Env: env,
    Labels: appLabels(spec.appId, spec.release),
    ...(spec.stopTimeoutSeconds === undefined
      ? {}
      : { StopTimeout: v.integer('stopTimeoutSeconds', spec.stopTimeoutSeconds, 0, 3600) }),
    HostConfig: {
      // Host networking only: apps listen on loopback ports that nginx proxies to.
      NetworkMode: 'host',
      RestartPolicy: { Name: 'unless-stopped', MaximumRetryCount: 0 },
      Mounts: validMounts(spec.mounts).map((m) => ({
        Type: 'bind' as const,
        Source: m.source,
        Target: m.target,
        ReadOnly: m.readOnly === true,
      })),
      LogConfig: LOG_CONFIG,
    },
  };
}

/** `GET /containers/json` options listing every container of an app, stopped ones too. */
export function listAppContainersRequest(appId: string): ContainerListOptions {
  return { all: true, filters: { label: [`${APP_LABEL}=${v.appId('appId', appId)}`] } };
}

export interface ImageBuildSpec {
  appId: string;
  /** Hex digest of the build inputs; the image tag is derived from it. */
  fingerprint: string;
  /** Dockerfile path inside the build context (default: Dockerfile). */
  dockerfile?: string;
  buildArgs?: Record<string, string>;
}

/** `POST /build` options (dockerode `buildImage`): deterministic tag, host network for apt/pip. */
export function imageBuildOptions(spec: ImageBuildSpec): ImageBuildOptions {
  const buildargs = Object.fromEntries(
    Object.entries(spec.buildArgs ?? {})
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, value]) => [v.envName('build arg name', name), v.noNul(`build arg ${name}`, value)]),
  );
  const t = imageRef(spec.appId, spec.fingerprint); // validates appId and fingerprint
  return {
    t,
    networkmode: 'host',
    rm: true,
    forcerm: true,
    labels: { [APP_LABEL]: spec.appId, [FINGERPRINT_LABEL]: spec.fingerprint },
    ...(spec.dockerfile === undefined ? {} : { dockerfile: dockerfilePath(spec.dockerfile) }),
    ...(Object.keys(buildargs).length > 0 ? { buildargs } : {}),
  };
}

function dockerfilePath(path: string): string {
  const text = v.plainText('dockerfile', path);
  if (!/^[A-Za-z0-9._-][A-Za-z0-9._/-]*$/.test(text) || text.split('/').includes('..')) {
    throw new v.CommandInputError('dockerfile', 'must be a relative path inside the build context', text);
  }
  return text;
}
