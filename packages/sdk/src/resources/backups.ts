// client.backups (F24): backup history. Take one with apps.backup.
import { authorize, type Context, guardAll, parse } from '../context.js';
import { listBackups } from '../repositories/backups.js';
import { appIdSchema } from '../schemas/apps.js';
import { type Backup, backupIdSchema } from '../schemas/backups.js';
import { appScope, loadApp, loadBackup } from './load.js';

export function backupsResource(ctx: Context) {
  return guardAll({
    /** Backup history, newest first (take one with apps.backup). */
    async list(appId: string): Promise<Backup[]> {
      const app = await loadApp(ctx.db, parse(appIdSchema, appId, 'appId'));
      await authorize(ctx, 'viewBackups', appScope(app));
      return listBackups(ctx.db, app.id);
    },

    async get(backupId: string): Promise<Backup> {
      const backup = await loadBackup(ctx.db, parse(backupIdSchema, backupId, 'backupId'));
      await authorize(ctx, 'viewBackups', appScope(await loadApp(ctx.db, backup.appId)));
      return backup;
    },
  });
}

export type BackupsResource = ReturnType<typeof backupsResource>;
