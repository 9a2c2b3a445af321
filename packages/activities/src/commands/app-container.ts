// What an app's container is called and carries, shared by the docker CLI builders and the
// Engine API bodies so both paths name, label and mount a release's container identically.
import * as v from './validate.js';

export const APP_LABEL = 'org.cloudwady.app';
export const RELEASE_LABEL = 'org.cloudwady.release';
/** On images: the build fingerprint they were built from. */
export const FINGERPRINT_LABEL = 'org.cloudwady.fingerprint';

/** Where Odoo's official images read their configuration and keep the filestore. */
export const ODOO_CONFIG_TARGET = '/etc/odoo/odoo.conf';
export const ODOO_DATA_TARGET = '/var/lib/odoo';

export interface BindMount {
  /** Absolute path on the host. */
  source: string;
  /** Absolute path in the container. */
  target: string;
  readOnly?: boolean;
}

/** One release of one app, run as one container on the host network. */
export interface AppContainerSpec {
  appId: string;
  release: string;
  /** Image reference, e.g. the build's `imageRef(appId, fingerprint)` or `odoo:17.0`. */
  image: string;
  /** argv given to the image (after the image name); passed as data, never through a shell. */
  command?: string[];
  /** Engine API only: environment for the container (kept out of argv, so out of `ps` and logs). */
  env?: Record<string, string>;
  /** docker CLI only: a file on the host with KEY=VALUE lines (write it with mode 0600). */
  envFile?: string;
  mounts?: BindMount[];
  /** Seconds Docker waits after SIGTERM before SIGKILL on stop. */
  stopTimeoutSeconds?: number;
}

/** Up to 12 characters of a release id, like Git's and Docker's short ids. */
export function shortRelease(release: string): string {
  return v.releaseId('release', release).toLowerCase().slice(0, 12);
}

/** Deterministic container name of a release: a retried deploy finds the container it made. */
export function containerName(appId: string, release: string): string {
  return `cw-${v.appId('appId', appId)}-${shortRelease(release)}`;
}

/** Deterministic image reference of a build: same inputs, same tag, so a build can be skipped. */
export function imageRef(appId: string, fingerprint: string): string {
  return `cloudwady/${v.appId('appId', appId)}:${v.fingerprint('fingerprint', fingerprint).slice(0, 16)}`;
}

export function appLabels(appId: string, release: string): Record<string, string> {
  return { [APP_LABEL]: v.appId('appId', appId), [RELEASE_LABEL]: v.releaseId('release', release) };
}

/** `label=` filter selecting every container of an app (any release). */
export function appLabelFilter(appId: string): string {
  return `label=${APP_LABEL}=${v.appId('appId', appId)}`;
}

/** The two mounts an Odoo container needs: its odoo.conf (read-only) and its data dir. */
export function odooMounts({ configPath, dataDir }: { configPath: string; dataDir: string }): BindMount[] {
  return [
    { source: v.absolutePath('configPath', configPath), target: ODOO_CONFIG_TARGET, readOnly: true },
    { source: v.absolutePath('dataDir', dataDir), target: ODOO_DATA_TARGET },
  ];
}

export function validMounts(mounts: BindMount[] | undefined): BindMount[] {
  return (mounts ?? []).map((mount, i) => ({
    source: v.absolutePath(`mounts[${i}].source`, mount.source),
    target: v.absolutePath(`mounts[${i}].target`, mount.target),
    readOnly: mount.readOnly === true,
  }));
}

export function validCommand(command: string[] | undefined): string[] {
  return (command ?? []).map((arg, i) => v.noNul(`command[${i}]`, arg));
}
