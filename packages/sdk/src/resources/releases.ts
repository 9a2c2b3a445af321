// client.releases (F14): every successful build; exactly one is current. Roll back with apps.rollback.
import { authorize, type Context, guardAll, parse } from '../context.js';
import { findCurrentRelease, listReleases } from '../repositories/releases.js';
import { appIdSchema } from '../schemas/apps.js';
import { type Release, releaseIdSchema } from '../schemas/releases.js';
import { appScope, loadApp, loadRelease } from './load.js';

export function releasesResource(ctx: Context) {
  return guardAll({
    /** The Release Manager: newest first, the current one flagged. */
    async list(appId: string): Promise<Release[]> {
      const app = await loadApp(ctx.db, parse(appIdSchema, appId, 'appId'));
      await authorize(ctx, 'viewReleases', appScope(app));
      return listReleases(ctx.db, app.id);
    },

    async get(releaseId: string): Promise<Release> {
      const release = await loadRelease(ctx.db, parse(releaseIdSchema, releaseId, 'releaseId'));
      await authorize(ctx, 'viewReleases', appScope(await loadApp(ctx.db, release.appId)));
      return release;
    },

    /** The release running now, or null before the first successful build. */
    async current(appId: string): Promise<Release | null> {
      const app = await loadApp(ctx.db, parse(appIdSchema, appId, 'appId'));
      await authorize(ctx, 'viewReleases', appScope(app));
      return (await findCurrentRelease(ctx.db, app.id)) ?? null;
    },
  });
}

export type ReleasesResource = ReturnType<typeof releasesResource>;
