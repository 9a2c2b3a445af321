// client.engine: the records side of operations, for the operations engine (worker activities)
// only. It acts as the platform, not as a user: no access checks here, because every operation
// was checked when the SDK started it. Inputs are still validated, writes are transactional, and
// each method is safe to call twice (activities are retried).
import { z } from 'zod';
import type { AppState } from '../access/index.js';
import { appStateSchema } from '../access/index.js';
import { canTransition } from '../app-states.js';
import { nowIso } from '../clock.js';
import { found, guardAll, parse, type Shared } from '../context.js';
import { ConflictError, NotFoundError, WrongStateError } from '../errors.js';
import { newId } from '../ids.js';
import {
  applyConfigRow,
  deleteApp,
  findAdminPasswords,
  findApp,
  findAutomation,
  promoteAdminPassword,
  setAppState,
  updateApp,
} from '../repositories/apps.js';
import { findBackup, insertBackup, updateBackup } from '../repositories/backups.js';
import { listBranches, setBranchSha } from '../repositories/branches.js';
import {
  findCurrentRelease,
  findRelease,
  findReleaseByFingerprint,
  insertRelease,
  makeCurrentRelease,
} from '../repositories/releases.js';
import { findRestoration, insertRestoration, updateRestoration } from '../repositories/restorations.js';
import { findServerPrivateKey } from '../repositories/servers.js';
import { listUrls } from '../repositories/urls.js';
import { type App, appIdSchema } from '../schemas/apps.js';
import type { AutomationSettings } from '../schemas/automation.js';
import {
  type Backup,
  backupIdSchema,
  type RecordBackupInput,
  recordBackupInputSchema,
  type UpdateBackupInput,
  updateBackupInputSchema,
} from '../schemas/backups.js';
import { type Branch, branchIdSchema } from '../schemas/branches.js';
import { commitShaSchema } from '../schemas/common.js';
import type { AppConfigState } from '../schemas/config.js';
import type { Environment } from '../schemas/environments.js';
import type { Project } from '../schemas/projects.js';
import {
  type RecordReleaseInput,
  type Release,
  recordReleaseInputSchema,
  releaseIdSchema,
} from '../schemas/releases.js';
import {
  type RecordRestorationInput,
  type Restoration,
  recordRestorationInputSchema,
  restorationIdSchema,
  type UpdateRestorationInput,
  updateRestorationInputSchema,
} from '../schemas/restorations.js';
import type { Server } from '../schemas/servers.js';
import { serverIdSchema } from '../schemas/servers.js';
import type { AppUrl } from '../schemas/urls.js';
import type { Secret } from '../secrets.js';
import { adminPasswordContext, loadConfigState } from './app-config.js';
import { checkDatabaseFree } from './app-rules.js';
import {
  loadApp,
  loadBackup,
  loadBranch,
  loadEnvironment,
  loadProject,
  loadRelease,
  loadRestoration,
  loadServer,
} from './load.js';
import { serverKeyContext } from './servers.js';

/** Everything a deploy reads about an app, in one call (no secrets). */
export interface Deployment {
  project: Project;
  environment: Environment;
  server: Server;
  app: App;
  config: AppConfigState;
  automation: AutomationSettings;
  branches: Branch[];
  urls: AppUrl[];
  currentRelease: Release | null;
}

export const transitionInputSchema = z.strictObject({
  to: appStateSchema,
  /** Only move if the app is still in this state (compare-and-set). */
  from: appStateSchema.optional(),
});
export type TransitionInput = z.input<typeof transitionInputSchema>;

const adminPasswordWhichSchema = z.enum(['applied', 'next']).default('next');

const FINISHED = new Set(['completed', 'failed']);

export function engineResource(ctx: Shared) {
  const appId = (value: unknown) => parse(appIdSchema, value, 'appId');

  return guardAll({
    async loadDeployment(id: string): Promise<Deployment> {
      const app = await loadApp(ctx.db, appId(id));
      const [project, environment, server, config, automation, branches, urls, currentRelease] =
        await Promise.all([
          loadProject(ctx.db, app.projectId),
          loadEnvironment(ctx.db, app.environmentId),
          loadServer(ctx.db, app.serverId),
          loadConfigState(ctx.db, app.id),
          findAutomation(ctx.db, app.id),
          listBranches(ctx.db, app.id),
          listUrls(ctx.db, app.id),
          findCurrentRelease(ctx.db, app.id),
        ]);
      return {
        project,
        environment,
        server,
        app,
        config,
        automation: found(automation, 'app', app.id),
        branches,
        urls,
        currentRelease: currentRelease ?? null,
      };
    },

    /** The admin password to write into odoo.conf: "next" = staged if any, else applied. */
    async adminPassword(id: string, which?: 'applied' | 'next'): Promise<Secret> {
      const appKey = appId(id);
      const choice = parse(adminPasswordWhichSchema, which, 'which');
      const sealed = found(await findAdminPasswords(ctx.db, appKey), 'app', appKey);
      const pick = choice === 'next' && sealed.staged !== null ? sealed.staged : sealed.applied;
      return ctx.box.open(pick, adminPasswordContext(appKey));
    },

    async serverPrivateKey(serverId: string): Promise<Secret> {
      const id = parse(serverIdSchema, serverId, 'serverId');
      const sealed = found(await findServerPrivateKey(ctx.db, id), 'server', id);
      return ctx.box.open(sealed, serverKeyContext(id));
    },

    /** Moves the app along the state machine; moving to the state it is in is a no-op. */
    async transitionApp(id: string, input: TransitionInput): Promise<App> {
      const key = appId(id);
      const { to, from } = parse(transitionInputSchema, input, 'transition');
      return ctx.db.transaction(async (tx) => {
        const app = await loadApp(tx, key);
        if (app.state === to) return app;
        if (from !== undefined && app.state !== from) {
          throw new WrongStateError(`App ${key} is ${app.state}, not ${from}: another operation moved it.`, {
            state: app.state,
            allowedStates: [from],
          });
        }
        if (!canTransition(app.state, to)) {
          throw new WrongStateError(`App ${key} cannot go from ${app.state} to ${to}.`, {
            state: app.state,
            to,
          });
        }
        await setAppState(tx, key, app.state as AppState, to, nowIso());
        return loadApp(tx, key);
      });
    },

    /** Makes the staged configuration (and a staged admin password) the applied one. Deploy calls it. */
    async promoteStagedConfig(id: string): Promise<AppConfigState> {
      const key = appId(id);
      return ctx.db.transaction(async (tx) => {
        const app = await loadApp(tx, key);
        const state = await loadConfigState(tx, key);
        if (state.staged) {
          if (state.staged.databaseName !== app.databaseName) {
            await checkDatabaseFree(tx, app.serverId, state.staged.databaseName, key);
          }
          const at = nowIso();
          await applyConfigRow(tx, key, state.staged, at);
          await updateApp(tx, key, { databaseName: state.staged.databaseName, updatedAt: at });
        }
        await promoteAdminPassword(tx, key);
        return loadConfigState(tx, key);
      });
    },

    /**
     * Records a release (a build with its configuration) as the app's current one. With an `id`,
     * a second call finds the first record; without one, the same fingerprint and configuration
     * are the same release.
     */
    async recordRelease(input: RecordReleaseInput): Promise<Release> {
      const { id: wanted, ...fields } = parse(recordReleaseInputSchema, input, 'release');
      return ctx.db.transaction(async (tx) => {
        await loadApp(tx, fields.appId);
        const existing = wanted
          ? await findRelease(tx, wanted)
          : await findReleaseByFingerprint(tx, fields.appId, fields.fingerprint, fields.configHash);
        if (existing && existing.appId !== fields.appId) {
          throw new ConflictError(`Release ${existing.id} belongs to another app.`, {
            releaseId: existing.id,
          });
        }
        const id = existing?.id ?? wanted ?? newId('release');
        if (!existing) {
          await insertRelease(tx, { id, ...fields, current: false, createdAt: nowIso() });
        }
        await makeCurrentRelease(tx, fields.appId, id);
        return loadRelease(tx, id);
      });
    },

    /** One release of the app (a rollback's target). */
    async release(id: string, releaseId: string): Promise<Release> {
      const key = appId(id);
      const release = await loadRelease(ctx.db, parse(releaseIdSchema, releaseId, 'releaseId'));
      if (release.appId !== key) throw new NotFoundError('release', release.id);
      return release;
    },

    /** Makes an earlier release current again (the end of a rollback). */
    async setCurrentRelease(id: string, releaseId: string): Promise<Release> {
      const key = appId(id);
      const relId = parse(releaseIdSchema, releaseId, 'releaseId');
      return ctx.db.transaction(async (tx) => {
        const release = await loadRelease(tx, relId);
        if (release.appId !== key) {
          throw new ConflictError(`Release ${relId} belongs to another app.`, {
            releaseId: relId,
            appId: key,
          });
        }
        await makeCurrentRelease(tx, key, relId);
        return loadRelease(tx, relId);
      });
    },

    /** Records the branch's latest commit (Refresh SHA, pushes). */
    async setBranchSha(branchId: string, sha: string): Promise<Branch> {
      const id = parse(branchIdSchema, branchId, 'branchId');
      const commit = parse(commitShaSchema, sha, 'commit SHA');
      return ctx.db.transaction(async (tx) => {
        await loadBranch(tx, id);
        await setBranchSha(tx, id, commit, nowIso());
        return loadBranch(tx, id);
      });
    },

    /** Starts a backup record (status pending). With `id`, a second call returns the first record. */
    async recordBackup(input: RecordBackupInput): Promise<Backup> {
      const fields = parse(recordBackupInputSchema, input, 'backup');
      return ctx.db.transaction(async (tx) => {
        const app = await loadApp(tx, fields.appId);
        const id = fields.id ?? newId('backup');
        const existing = fields.id ? await findBackup(tx, id) : undefined;
        if (existing) return existing;
        await insertBackup(tx, {
          id,
          projectId: app.projectId,
          appId: app.id,
          serverId: app.serverId,
          kind: fields.kind,
          status: 'pending',
          databaseSize: null,
          filestoreSize: null,
          storageKey: null,
          note: fields.note,
          error: null,
          createdBy: fields.createdBy,
          createdAt: nowIso(),
          completedAt: null,
          expiresAt: null,
        });
        return loadBackup(tx, id);
      });
    },

    async updateBackup(backupId: string, input: UpdateBackupInput): Promise<Backup> {
      const id = parse(backupIdSchema, backupId, 'backupId');
      const fields = parse(updateBackupInputSchema, input, 'backup update');
      return ctx.db.transaction(async (tx) => {
        const backup = await loadBackup(tx, id);
        const completedAt = FINISHED.has(fields.status) ? (backup.completedAt ?? nowIso()) : undefined;
        await updateBackup(tx, id, { ...fields, completedAt });
        return loadBackup(tx, id);
      });
    },

    /** Starts a restoration record; neutralize follows the target's environment type. */
    async recordRestoration(input: RecordRestorationInput): Promise<Restoration> {
      const fields = parse(recordRestorationInputSchema, input, 'restoration');
      return ctx.db.transaction(async (tx) => {
        const backup = await loadBackup(tx, fields.backupId);
        const target = await loadApp(tx, fields.targetAppId);
        const id = fields.id ?? newId('restoration');
        const existing = fields.id ? await findRestoration(tx, id) : undefined;
        if (existing) return existing;
        await insertRestoration(tx, {
          id,
          projectId: target.projectId,
          backupId: backup.id,
          sourceAppId: backup.appId,
          sourceServerId: backup.serverId,
          targetAppId: target.id,
          targetServerId: target.serverId,
          neutralize: target.environmentType !== 'production',
          crossServer: backup.serverId !== target.serverId,
          status: 'pending',
          error: null,
          createdBy: fields.createdBy,
          createdAt: nowIso(),
          completedAt: null,
        });
        return loadRestoration(tx, id);
      });
    },

    async updateRestoration(restorationId: string, input: UpdateRestorationInput): Promise<Restoration> {
      const id = parse(restorationIdSchema, restorationId, 'restorationId');
      const fields = parse(updateRestorationInputSchema, input, 'restoration update');
      return ctx.db.transaction(async (tx) => {
        const restoration = await loadRestoration(tx, id);
        const completedAt = FINISHED.has(fields.status) ? (restoration.completedAt ?? nowIso()) : undefined;
        await updateRestoration(tx, id, { ...fields, completedAt });
        return loadRestoration(tx, id);
      });
    },

    /** Removes the app's records (the last step of Destroy). Removing a removed app is a no-op. */
    async removeApp(id: string): Promise<void> {
      const key = appId(id);
      await ctx.db.transaction(async (tx) => {
        const app = await findApp(tx, key);
        if (!app) return;
        if (!['draft', 'deleting', 'deleted', 'disabled'].includes(app.state)) {
          throw new WrongStateError(
            `App ${key} is ${app.state}: delete its instance before removing its records.`,
            {
              state: app.state,
              allowedStates: ['draft', 'deleting', 'deleted', 'disabled'],
            },
          );
        }
        await deleteApp(tx, key);
      });
    },
  });
}

export type EngineResource = ReturnType<typeof engineResource>;
