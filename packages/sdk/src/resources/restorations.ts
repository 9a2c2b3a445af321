// client.restorations (F25): restoration history. Start one with apps.restore.
import { authorize, type Context, guardAll, parse } from '../context.js';
import { listRestorations } from '../repositories/restorations.js';
import { appIdSchema } from '../schemas/apps.js';
import { type Restoration, restorationIdSchema } from '../schemas/restorations.js';
import { appScope, loadApp, loadRestoration } from './load.js';

export function restorationsResource(ctx: Context) {
  return guardAll({
    /** Restorations into the app, newest first (start one with apps.restore). */
    async list(appId: string): Promise<Restoration[]> {
      const app = await loadApp(ctx.db, parse(appIdSchema, appId, 'appId'));
      await authorize(ctx, 'viewRestorations', appScope(app));
      return listRestorations(ctx.db, app.id);
    },

    async get(restorationId: string): Promise<Restoration> {
      const restoration = await loadRestoration(
        ctx.db,
        parse(restorationIdSchema, restorationId, 'restorationId'),
      );
      await authorize(ctx, 'viewRestorations', appScope(await loadApp(ctx.db, restoration.targetAppId)));
      return restoration;
    },
  });
}

export type RestorationsResource = ReturnType<typeof restorationsResource>;
