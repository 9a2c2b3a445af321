// docker CLI commands as argv arrays (for hosts reached by plain SSH exec, and for humans reading
// logs). Each function returns the exact argv; an executor elsewhere runs it.
import {
  type AppContainerSpec,
  appLabelFilter,
  appLabels,
  containerName,
  validCommand,
  validMounts,
} from './app-container.js';
import * as v from './validate.js';

const docker = (...args: string[]): string[] => ['docker', ...args];

/** `docker run` of a release: detached, host network, restart unless stopped, labelled. */
export function run(spec: AppContainerSpec): string[] {
  if (spec.env !== undefined) {
    // Values on a command line are visible in the host's process list and in error reports.
    throw new v.CommandInputError('env', 'the docker CLI takes env only through envFile');
  }
  const labels = Object.entries(appLabels(spec.appId, spec.release)).flatMap(([k, val]) => [
    '--label',
    `${k}=${val}`,
  ]);
  const mounts = validMounts(spec.mounts).flatMap((m) => [
    '--mount',
    `type=bind,source=${m.source},target=${m.target}${m.readOnly ? ',readonly' : ''}`,
  ]);
  return docker(
    'run',
    '--detach',
    '--name',
    containerName(spec.appId, spec.release),
    '--network',
    'host',
    '--restart',
    'unless-stopped',
    ...labels,
    ...(spec.envFile === undefined ? [] : ['--env-file', v.absolutePath('envFile', spec.envFile)]),
    ...mounts,
    ...(spec.stopTimeoutSeconds === undefined
      ? []
      : ['--stop-timeout', String(v.integer('stopTimeoutSeconds', spec.stopTimeoutSeconds, 0, 3600))]),
    v.imageRef('image', spec.image),
    ...validCommand(spec.command),
  );
}

export function start(name: string): string[] {
  return docker('start', v.containerName('name', name));
}

export function stop(name: string, { timeoutSeconds }: { timeoutSeconds?: number } = {}): string[] {
  return docker(
    'stop',
    ...(timeoutSeconds === undefined
      ? []
      : ['--time', String(v.integer('timeoutSeconds', timeoutSeconds, 0, 3600))]),
    v.containerName('name', name),
  );
}

export function restart(name: string): string[] {
  return docker('restart', v.containerName('name', name));
}

/** Remove a container; `force` also stops a running one. */
export function remove(name: string, { force = false }: { force?: boolean } = {}): string[] {
  return docker('rm', ...(force ? ['--force'] : []), v.containerName('name', name));
}

export interface LogsOptions {
  /** Last N lines only. */
  tail?: number;
  /** RFC 3339 time or Go duration ("10m"). */
  since?: string;
  timestamps?: boolean;
  follow?: boolean;
}

export function logs(name: string, options: LogsOptions = {}): string[] {
  return docker(
    'logs',
    ...(options.follow ? ['--follow'] : []),
    ...(options.timestamps ? ['--timestamps'] : []),
    ...(options.tail === undefined ? [] : ['--tail', String(v.integer('tail', options.tail, 0, 1_000_000))]),
    ...(options.since === undefined ? [] : ['--since', sinceValue(options.since)]),
    v.containerName('name', name),
  );
}

function sinceValue(since: string): string {
  const text = v.requireString('since', since);
  // A Go duration ("90s", "1h30m") or an RFC 3339 / Unix timestamp.
  if (
    !/^(?:\d+(?:\.\d+)?(?:ns|us|ms|s|m|h))+$|^\d{4}-\d{2}-\d{2}(?:T[0-9:.]+(?:Z|[+-]\d{2}:\d{2})?)?$|^\d+(?:\.\d+)?$/.test(
      text,
    )
  ) {
    throw new v.CommandInputError('since', 'must be a duration (10m) or a timestamp', text);
  }
  return text;
}

/** `docker container inspect`; `format` is a Go template chosen by code, not by users. */
export function inspectContainer(name: string, format?: string): string[] {
  return docker(
    'container',
    'inspect',
    ...(format === undefined ? [] : ['--format', v.plainText('format', format)]),
    v.containerName('name', name),
  );
}

export function inspectImage(ref: string, format?: string): string[] {
  return docker(
    'image',
    'inspect',
    ...(format === undefined ? [] : ['--format', v.plainText('format', format)]),
    v.imageRef('ref', ref),
  );
}

export function tag(source: string, target: string): string[] {
  return docker('image', 'tag', v.imageRef('source', source), v.imageRef('target', target));
}

export function removeImage(ref: string, { force = false }: { force?: boolean } = {}): string[] {
  return docker('image', 'rm', ...(force ? ['--force'] : []), v.imageRef('ref', ref));
}

/** Names of an app's containers (running only unless `all`), one per line. */
export function listAppContainers(appId: string, { all = false }: { all?: boolean } = {}): string[] {
  return docker('ps', ...(all ? ['--all'] : []), '--filter', appLabelFilter(appId), '--format', '{{.Names}}');
}

/** Run argv inside a running container (no shell); `interactive` keeps stdin open for input. */
export function exec(name: string, argv: string[], { interactive = false } = {}): string[] {
  if (argv.length === 0) throw new v.CommandInputError('argv', 'must not be empty');
  return docker(
    'exec',
    ...(interactive ? ['--interactive'] : []),
    v.containerName('name', name),
    ...argv.map((arg, i) => v.noNul(`argv[${i}]`, arg)),
  );
}
