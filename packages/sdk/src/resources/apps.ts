// client.apps (F1, F2): app records, their configuration and automation, and the operations.

import type { AvailableAction } from '../access/index.js';
import { availableActions as availableActionsFor } from '../access/index.js';
import { nowIso } from '../clock.js';
import { authorize, type Context, guardAll, parse } from '../context.js';
import { ConflictError, ValidationError } from '../errors.js';
import { newId } from '../ids.js';
import { insertApp, listApps, updateApp } from '../repositories/apps.js';
import { insertBranch } from '../repositories/branches.js';
import { insertUrl, listUrls } from '../repositories/urls.js';
import {
  type App,
  appIdSchema,
  type CreateAppInput,
  createAppInputSchema,
  type EditAppInput,
  editAppInputSchema,
  type ListAppsInput,
  listAppsInputSchema,
} from '../schemas/apps.js';
import { automationSettingsSchema, DEFAULT_AUTOMATION, mergeAutomation } from '../schemas/automation.js';
import { appConfigSchema, DEFAULT_APP_CONFIG, mergeConfig } from '../schemas/config.js';
import { generateAdminPassword } from '../secrets.js';
import { adminPasswordContext, appConfigMethods } from './app-config.js';
import { appOperations } from './app-operations.js';
import {
  checkAppNameFree,
  checkDatabaseFree,
  checkDeadline,
  checkDomainFree,
  databaseNameFor,
} from './app-rules.js';
import { appScope, loadApp, loadEnvironment, loadProject, loadServer } from './load.js';

/** What "Open" returns: the URL to launch. */
export interface OpenTarget {
  appId: string;
  url: string;
}

function appRecords(ctx: Context) {
  return {
    /**
     * Creates an app in `draft` (the environment type's Developer+ role): its main branch, primary
     * URL, configuration and automation in one transaction, with a fresh admin password.
     */
    async create(input: CreateAppInput): Promise<App> {
      const fields = parse(createAppInputSchema, input, 'app');
      const automation = parse(
        automationSettingsSchema,
        mergeAutomation(DEFAULT_AUTOMATION, fields.automation ?? {}),
        'app automation',
      );
      const databaseName = fields.databaseName ?? databaseNameFor(fields.name);
      const config = parse(
        appConfigSchema,
        mergeConfig({ ...DEFAULT_APP_CONFIG, databaseName }, fields.config ?? {}),
        'app config',
      );
      const id = newId('app');
      return ctx.db.transaction(async (tx) => {
        const env = await loadEnvironment(tx, fields.environmentId);
        const server = await loadServer(tx, fields.serverId);
        if (server.projectId !== env.projectId) {
          throw ValidationError.forField(
            ['serverId'],
            'The server belongs to another project: pick one of this project.',
          );
        }
        const project = await loadProject(tx, env.projectId);
        const { actor } = await authorize(
          ctx,
          'createApp',
          { projectId: env.projectId, environmentType: env.type },
          tx,
        );
        checkDeadline(env.type, automation, ['automation']);
        await checkAppNameFree(tx, env.projectId, fields.name);
        await checkDatabaseFree(tx, server.id, databaseName);
        if (fields.primaryUrl) await checkDomainFree(tx, fields.primaryUrl.domain);
        const at = nowIso();
        await insertApp(tx, {
          app: {
            id,
            projectId: env.projectId,
            environmentId: env.id,
            serverId: server.id,
            name: fields.name,
            odooVersion: fields.odooVersion,
            engine: fields.engine,
            edition: fields.edition,
            state: 'draft',
            deploymentNote: fields.deploymentNote,
            databaseName,
            createdBy: actor.userId,
            createdAt: at,
            updatedAt: at,
          },
          sealedAdminPassword: ctx.box.seal(generateAdminPassword(), adminPasswordContext(id)),
          automation,
          config,
        });
        if (fields.branch) {
          await insertBranch(tx, {
            id: newId('branch'),
            appId: id,
            repository: fields.branch.repository ?? project.repositoryUrl,
            name: fields.branch.name,
            commitSha: fields.branch.commitSha ?? null,
            isMain: true,
            createdAt: at,
            updatedAt: at,
          });
        }
        if (fields.primaryUrl) {
          await insertUrl(tx, {
            id: newId('url'),
            appId: id,
            domain: fields.primaryUrl.domain,
            isPrimary: true,
            sslProvider: fields.primaryUrl.sslProvider ?? 'none',
            createdAt: at,
            updatedAt: at,
          });
        }
        return loadApp(tx, id);
      });
    },

    async get(appId: string): Promise<App> {
      const id = parse(appIdSchema, appId, 'appId');
      const app = await loadApp(ctx.db, id);
      await authorize(ctx, 'viewApp', appScope(app));
      return app;
    },

    /** The apps of a project, optionally of one environment or server. */
    async list(input: ListAppsInput): Promise<App[]> {
      const filter = parse(listAppsInputSchema, input, 'app filter');
      await loadProject(ctx.db, filter.projectId);
      await authorize(ctx, 'viewProject', { projectId: filter.projectId });
      return listApps(ctx.db, filter);
    },

    /** Changes the name or deployment note (Info tab). */
    async edit(appId: string, input: EditAppInput): Promise<App> {
      const id = parse(appIdSchema, appId, 'appId');
      const fields = parse(editAppInputSchema, input, 'app changes');
      return ctx.db.transaction(async (tx) => {
        const app = await loadApp(tx, id);
        await authorize(ctx, 'updateApp', appScope(app), tx);
        if (fields.name !== undefined) await checkAppNameFree(tx, app.projectId, fields.name, id);
        await updateApp(tx, id, { ...fields, updatedAt: nowIso() });
        return loadApp(tx, id);
      });
    },

    /** Every action of the app's screens with whether the actor may run it now, and why not. */
    async availableActions(appId: string): Promise<AvailableAction[]> {
      const id = parse(appIdSchema, appId, 'appId');
      const app = await loadApp(ctx.db, id);
      const { role, policy } = await authorize(ctx, 'viewApp', appScope(app));
      const urls = await listUrls(ctx.db, id);
      return availableActionsFor({
        role,
        environmentType: app.environmentType,
        appState: app.state,
        policy,
        target: { engine: app.engine, hasSslProvider: urls.some((url) => url.sslProvider !== 'none') },
      });
    },

    /** "Open": the primary URL to launch the running instance. */
    async open(appId: string): Promise<OpenTarget> {
      const id = parse(appIdSchema, appId, 'appId');
      const app = await loadApp(ctx.db, id);
      await authorize(ctx, 'open', appScope(app));
      const primary = (await listUrls(ctx.db, id)).find((url) => url.isPrimary);
      if (!primary) {
        throw new ConflictError(`App "${app.name}" has no URL yet: add one with urls.add.`, { appId: id });
      }
      const scheme = primary.sslProvider === 'none' ? 'http' : 'https';
      return { appId: id, url: `${scheme}://${primary.domain}/` };
    },
  };
}

export function appsResource(ctx: Context) {
  return guardAll({ ...appRecords(ctx), ...appConfigMethods(ctx), ...appOperations(ctx) });
}

export type AppsResource = ReturnType<typeof appsResource>;
