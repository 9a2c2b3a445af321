// client.urls (F22, F23): an app's domains. Domains are unique across the platform; an app with
// URLs has exactly one primary URL, which cannot be deleted.
import type { AppState } from '../access/index.js';
import { nowIso } from '../clock.js';
import { authorize, type Context, guardAll, parse } from '../context.js';
import { newId } from '../ids.js';
import type { RunRef } from '../operations.js';
import {
  deleteUrl,
  insertUrl,
  listUrls,
  makePrimaryUrl,
  restoreUrl,
  setSslProvider,
} from '../repositories/urls.js';
import { type App, appIdSchema } from '../schemas/apps.js';
import {
  type AddUrlInput,
  type AppUrl,
  addUrlInputSchema,
  type EditUrlInput,
  editUrlInputSchema,
  urlIdSchema,
} from '../schemas/urls.js';
import { checkDomainFree } from './app-rules.js';
import { appScope, loadApp, loadUrl } from './load.js';
import { startOn } from './operate.js';

/** States in which an instance may be serving, so routing must follow URL changes now. */
const ROUTED_STATES: readonly AppState[] = ['deploying', 'deployed', 'error', 'canceled'];

export interface UrlChange {
  url: AppUrl;
  /** The operation that updates the proxy, or null when nothing is deployed to route. */
  run: RunRef | null;
}

export function urlsResource(ctx: Context) {
  const loadWithApp = async (urlId: unknown) => {
    const url = await loadUrl(ctx.db, parse(urlIdSchema, urlId, 'urlId'));
    return { url, app: await loadApp(ctx.db, url.appId) };
  };

  /**
   * Records a URL change, then starts the routing operation when the app may be serving. If the
   * operation cannot start, the change is undone so the call changes nothing.
   */
  async function withRouting(
    app: App,
    action: 'addUrl' | 'deleteUrl',
    url: AppUrl,
    undo: () => Promise<void>,
  ) {
    if (!ROUTED_STATES.includes(app.state)) return null;
    try {
      return await startOn(ctx, app, action, { urlId: url.id, domain: url.domain });
    } catch (error) {
      await undo();
      throw error;
    }
  }

  return guardAll({
    /** The app's URLs: primary first. */
    async list(appId: string): Promise<AppUrl[]> {
      const id = parse(appIdSchema, appId, 'appId');
      const app = await loadApp(ctx.db, id);
      await authorize(ctx, 'viewApp', appScope(app));
      return listUrls(ctx.db, id);
    },

    async get(urlId: string): Promise<AppUrl> {
      const { url, app } = await loadWithApp(urlId);
      await authorize(ctx, 'viewApp', appScope(app));
      return url;
    },

    /** Add New URL. The first URL of an app becomes primary; `primary: true` moves the flag. */
    async add(appId: string, input: AddUrlInput): Promise<UrlChange> {
      const id = parse(appIdSchema, appId, 'appId');
      const fields = parse(addUrlInputSchema, input, 'URL');
      const { app, url, previousPrimary } = await ctx.db.transaction(async (tx) => {
        const app = await loadApp(tx, id);
        await authorize(ctx, 'addUrl', appScope(app), tx);
        await checkDomainFree(tx, fields.domain);
        const before = await listUrls(tx, id);
        const isFirst = before.length === 0;
        const at = nowIso();
        const urlId = newId('url');
        await insertUrl(tx, {
          id: urlId,
          appId: id,
          domain: fields.domain,
          isPrimary: false,
          sslProvider: fields.sslProvider,
          createdAt: at,
          updatedAt: at,
        });
        if (isFirst || fields.primary) await makePrimaryUrl(tx, id, urlId, at);
        return { app, url: await loadUrl(tx, urlId), previousPrimary: before.find((u) => u.isPrimary) };
      });
      const run = await withRouting(app, 'addUrl', url, () =>
        ctx.db.transaction(async (tx) => {
          await deleteUrl(tx, url.id);
          if (previousPrimary) await restoreUrl(tx, previousPrimary);
        }),
      );
      return { url, run };
    },

    /** Makes the URL the app's primary URL (the app's public URL). */
    async setPrimary(urlId: string): Promise<AppUrl> {
      const id = parse(urlIdSchema, urlId, 'urlId');
      return ctx.db.transaction(async (tx) => {
        const url = await loadUrl(tx, id);
        const app = await loadApp(tx, url.appId);
        await authorize(ctx, 'addUrl', appScope(app), tx);
        await makePrimaryUrl(tx, app.id, id, nowIso());
        return loadUrl(tx, id);
      });
    },

    /** Changes the URL's SSL provider (Deploy SSL Certificates then uses it). */
    async edit(urlId: string, input: EditUrlInput): Promise<AppUrl> {
      const id = parse(urlIdSchema, urlId, 'urlId');
      const fields = parse(editUrlInputSchema, input, 'URL changes');
      return ctx.db.transaction(async (tx) => {
        const url = await loadUrl(tx, id);
        const app = await loadApp(tx, url.appId);
        await authorize(ctx, 'addUrl', appScope(app), tx);
        await setSslProvider(tx, id, fields.sslProvider, nowIso());
        return loadUrl(tx, id);
      });
    },

    /** Delete URL: never the primary URL. */
    async delete(urlId: string): Promise<{ run: RunRef | null }> {
      const id = parse(urlIdSchema, urlId, 'urlId');
      const { app, url } = await ctx.db.transaction(async (tx) => {
        const url = await loadUrl(tx, id);
        const app = await loadApp(tx, url.appId);
        await authorize(ctx, 'deleteUrl', appScope(app, { isPrimaryUrl: url.isPrimary }), tx);
        await deleteUrl(tx, id);
        return { app, url };
      });
      const run = await withRouting(app, 'deleteUrl', url, () =>
        ctx.db.transaction((tx) => insertUrl(tx, url)),
      );
      return { run };
    },

    /** Check SSL: the engine reads the certificate the URL serves. */
    async checkSsl(urlId: string): Promise<RunRef> {
      const { url, app } = await loadWithApp(urlId);
      return startOn(
        ctx,
        app,
        'checkSsl',
        { urlId: url.id, domain: url.domain },
        { isPrimaryUrl: url.isPrimary },
      );
    },

    /** Renew SSL for this URL. */
    async renewSsl(urlId: string): Promise<RunRef> {
      const { url, app } = await loadWithApp(urlId);
      return startOn(
        ctx,
        app,
        'renewUrlSsl',
        { urlId: url.id, domain: url.domain },
        { isPrimaryUrl: url.isPrimary },
      );
    },

    /** Download from Storage: put the stored certificate on the server. */
    async downloadCertificate(urlId: string): Promise<RunRef> {
      const { url, app } = await loadWithApp(urlId);
      return startOn(
        ctx,
        app,
        'downloadCertificate',
        { urlId: url.id, domain: url.domain },
        { isPrimaryUrl: url.isPrimary },
      );
    },

    /** Upload to Storage: keep the server's certificate in storage. */
    async uploadCertificate(urlId: string): Promise<RunRef> {
      const { url, app } = await loadWithApp(urlId);
      return startOn(
        ctx,
        app,
        'uploadCertificate',
        { urlId: url.id, domain: url.domain },
        { isPrimaryUrl: url.isPrimary },
      );
    },
  });
}

export type UrlsResource = ReturnType<typeof urlsResource>;
