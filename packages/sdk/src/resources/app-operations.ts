// The app's operations (F3-F14, F23): each is checked here (input, records, access, state,
// its own preconditions) and then started through the operations gateway as a workflow.
import type { ActionName } from '../access/index.js';
import { authorize, type Context, parse } from '../context.js';
import { ConflictError, NotFoundError } from '../errors.js';
import type { RunRef } from '../operations.js';
import { deleteApp } from '../repositories/apps.js';
import { listBranches } from '../repositories/branches.js';
import { listUrls } from '../repositories/urls.js';
import { type App, appIdSchema } from '../schemas/apps.js';
import { type BackupInput, backupInputSchema } from '../schemas/backups.js';
import { type RollbackInput, rollbackInputSchema } from '../schemas/releases.js';
import { type RestoreInput, restoreInputSchema } from '../schemas/restorations.js';
import type { Queryable } from '../store/driver.js';
import { appScope, loadApp, loadBackup, loadRelease } from './load.js';
import { startOn } from './operate.js';

async function requireMainBranch(q: Queryable, app: App) {
  const main = (await listBranches(q, app.id)).find((branch) => branch.isMain);
  if (!main) {
    throw new ConflictError(
      `App "${app.name}" tracks no branch yet: add one with branches.add, then deploy.`,
      {
        appId: app.id,
      },
    );
  }
  return main;
}

export function appOperations(ctx: Context) {
  const load = async (appId: unknown) => loadApp(ctx.db, parse(appIdSchema, appId, 'appId'));
  /** An operation with no input of its own. */
  const plain =
    (action: ActionName) =>
    async (appId: string): Promise<RunRef> =>
      startOn(ctx, await load(appId), action, {});

  return {
    /** Deploy (F3): build the image of the main branch, configure, start, health-check, route. */
    async deploy(appId: string): Promise<RunRef> {
      const app = await load(appId);
      return startOn(ctx, app, 'deploy', async () => ({
        branchId: (await requireMainBranch(ctx.db, app)).id,
      }));
    },

    /** Update (F4): pull the branch's latest commit, update changed modules, restart. */
    async update(appId: string): Promise<RunRef> {
      const app = await load(appId);
      return startOn(ctx, app, 'update', async () => ({
        branchId: (await requireMainBranch(ctx.db, app)).id,
      }));
    },

    /** Backup (F5): database + filestore, on demand. */
    async backup(appId: string, input?: BackupInput): Promise<RunRef> {
      const app = await load(appId);
      const { note } = parse(backupInputSchema, input === undefined ? {} : input, 'backup options');
      return startOn(ctx, app, 'backup', { kind: 'manual', note: note ?? '' });
    },

    /** Retry (F6) the failed or canceled operation. */
    retry: plain('retry'),

    /**
     * Restore (F8, F25) a completed backup of this app or of another app of the project, also
     * from another server; restores into non-production apps are neutralized.
     */
    async restore(appId: string, input: RestoreInput): Promise<RunRef> {
      const app = await load(appId);
      const { backupId } = parse(restoreInputSchema, input, 'restore options');
      return startOn(ctx, app, 'restore', async () => {
        const backup = await loadBackup(ctx.db, backupId);
        // Backups of other projects are not visible from this one.
        if (backup.projectId !== app.projectId) throw new NotFoundError('backup', backupId);
        if (backup.status !== 'completed') {
          throw new ConflictError(
            `Backup ${backupId} is ${backup.status}: only a completed backup can be restored.`,
            {
              backupId,
              backupStatus: backup.status,
            },
          );
        }
        return {
          backupId,
          sourceAppId: backup.appId,
          sourceServerId: backup.serverId,
          targetServerId: app.serverId,
          neutralize: app.environmentType !== 'production',
        };
      });
    },

    /** Restart Service (F9) without rebuilding. */
    restart: plain('restart'),
    /** Update Config (F10): push the configuration (and staged changes) without a full redeploy. */
    updateConfig: plain('updateConfig'),
    /** Enable Maintenance (F11): the app's URLs answer with a maintenance page. */
    enableMaintenance: plain('enableMaintenance'),
    disableMaintenance: plain('disableMaintenance'),
    /** Renew SSL Certificate (F12) for the whole app. */
    renewSsl: plain('renewSsl'),
    /** Delete Instance (F13, Admin): remove the deployed instance, keep the app. */
    deleteInstance: plain('deleteInstance'),
    /** Sync Variables (F7). */
    syncVariables: plain('syncVariables'),
    /** Sync Server Backups (F7): reconcile backup records with the storage. */
    syncServerBackups: plain('syncServerBackups'),
    /** Setup Logs (F7). */
    setupLogs: plain('setupLogs'),

    /** Deploy SSL Certificates (F23) for all URLs with an SSL provider. */
    async deploySslCertificates(appId: string): Promise<RunRef> {
      const app = await load(appId);
      const urls = await listUrls(ctx.db, app.id);
      return startOn(
        ctx,
        app,
        'deploySslCertificates',
        {},
        { hasSslProvider: urls.some((u) => u.sslProvider !== 'none') },
      );
    },

    /** Rollback (F14): run an earlier release again, without rebuilding. */
    async rollback(appId: string, input: RollbackInput): Promise<RunRef> {
      const app = await load(appId);
      const { releaseId } = parse(rollbackInputSchema, input, 'rollback options');
      return startOn(ctx, app, 'rollback', async () => {
        const release = await loadRelease(ctx.db, releaseId);
        if (release.appId !== app.id) throw new NotFoundError('release', releaseId);
        if (release.current) {
          throw new ConflictError(
            `Release ${releaseId} is already the current release: pick an earlier one.`,
            {
              releaseId,
            },
          );
        }
        return { releaseId, fingerprint: release.fingerprint, image: release.image };
      });
    },

    /**
     * Destroy (F13, Admin): remove the app completely. A draft app has nothing on any host, so its
     * records go at once (returns null); otherwise the engine removes what runs, then the records.
     */
    async destroy(appId: string): Promise<RunRef | null> {
      const app = await load(appId);
      const removed = await ctx.db.transaction(async (tx) => {
        const current = await loadApp(tx, app.id);
        await authorize(ctx, 'destroy', appScope(current), tx);
        if (current.state !== 'draft') return false;
        await deleteApp(tx, app.id);
        return true;
      });
      return removed ? null : startOn(ctx, app, 'destroy', {});
    },
  };
}
