// What operation workflows ask of activities. Inputs are ids and small facts only: secrets
// (keys, passwords) are read from the store inside the activity, so they never enter history.

export interface ReleaseRef {
  appId: string;
  /** Chosen by the workflow (deterministic on replay), so a retried step finds its own container. */
  releaseId: string;
}

export interface SourceState {
  repository: string;
  branch: string;
  commitSha: string;
}

export interface BuiltImage {
  image: string;
  fingerprint: string;
  /** false when an image with this fingerprint already existed and was reused. */
  built: boolean;
}

import type { RunningRelease } from '../runtime/index.js';

export type { RunningRelease };

/** Output of a long step, bounded (see StepLog): it is how a run's history shows its logs. */
export interface Logged {
  log?: string[];
}

export interface ReleaseFacts {
  releaseId: string;
  image: string;
  fingerprint: string;
  commitSha: string;
  configHash: string;
}

export interface AppFacts {
  appId: string;
  projectId: string;
  serverId: string;
  databaseName: string;
  /** The release that serves now, if any. */
  current: ReleaseFacts | null;
  maintenance: boolean;
}

export interface OperationActivities {
  /** App, server and current release as the workflow needs them; also marks the app's state. */
  loadApp(input: { appId: string }): Promise<AppFacts>;
  /** An earlier release of the app (rollback target); unknown ids fail without retry. */
  loadRelease(input: { appId: string; releaseId: string }): Promise<ReleaseFacts>;
  /** Moves the app along its state machine (deploying, deployed, error, ...). */
  setAppState(input: { appId: string; state: string; note?: string }): Promise<void>;
  /** Fetches the app's main branch into the server's mirror; returns the commit to build. */
  fetchSource(input: { appId: string }): Promise<SourceState & Logged>;
  /** Modules (addon directories) changed between two commits, filtered by the app's automation. */
  changedModules(input: { appId: string; from: string; to: string }): Promise<string[]>;
  /** Builds the app's image for that commit, or reuses the one with the same fingerprint. */
  buildImage(input: { appId: string; commitSha: string }): Promise<BuiltImage & Logged>;
  /** Applies staged config (deploy, updateConfig) and writes this release's odoo.conf on the host. */
  writeReleaseConfig(input: ReleaseRef & { applyStaged: boolean }): Promise<{ configHash: string }>;
  /** Creates the database and installs the selected addons when it does not exist yet. */
  initDatabase(
    input: ReleaseRef & { image: string; commitSha: string },
  ): Promise<{ created: boolean; installed: string[] } & Logged>;
  /** Runs `odoo -u <modules> --stop-after-init` with the release's image and config. */
  updateModules(input: ReleaseRef & { image: string; modules: string[] }): Promise<Logged>;
  /** Ensures the release's container runs on its own loopback port (same name on retry). */
  startRelease(input: ReleaseRef & { image: string }): Promise<RunningRelease>;
  /** Waits until `/web/health` answers 200 through the server's loopback. */
  waitHealthy(input: ReleaseRef & { port: number }): Promise<Logged>;
  /** Points the app's URLs at the release (or at the maintenance page) and reloads the proxy. */
  route(input: { appId: string; to: RunningRelease | 'maintenance' }): Promise<void>;
  restartRelease(input: ReleaseRef): Promise<RunningRelease>;
  stopRelease(input: ReleaseRef & { remove: boolean }): Promise<void>;
  recordRelease(
    input: ReleaseRef & { facts: ReleaseFacts; createdBy: string; current: boolean },
  ): Promise<void>;
  makeCurrent(input: ReleaseRef): Promise<void>;
  /** Delete Instance / Destroy: containers, proxy config, and (destroy) images, data and records. */
  removeInstance(input: { appId: string; destroy: boolean }): Promise<void>;
}
