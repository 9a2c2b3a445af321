// The Configs and Automation tabs (F15-F17): staged vs applied configuration, the rendered
// odoo.conf, the admin password (the only way to read it) and the automation settings.

import { z } from 'zod';
import { nowIso } from '../clock.js';
import { authorize, type Context, found, parse } from '../context.js';
import { renderOdooConf } from '../odoo-conf.js';
import {
  clearStagedConfig,
  findAdminPasswords,
  findAutomation,
  findConfigState,
  saveAutomation,
  stageAdminPassword,
  stageConfig,
} from '../repositories/apps.js';
import { appIdSchema } from '../schemas/apps.js';
import {
  type AutomationSettings,
  automationSettingsSchema,
  mergeAutomation,
  type UpdateAutomationInput,
  updateAutomationInputSchema,
} from '../schemas/automation.js';
import {
  type AppConfigState,
  type ApplyConfigInput,
  appConfigSchema,
  applyConfigInputSchema,
  mergeConfig,
} from '../schemas/config.js';
import { generateAdminPassword, type Secret } from '../secrets.js';
import type { Queryable } from '../store/driver.js';
import { checkDatabaseFree, checkDeadline } from './app-rules.js';
import { appScope, loadApp } from './load.js';

/** The associated data binding a sealed admin password to its app. */
export const adminPasswordContext = (appId: string) => `app:${appId}:admin_password`;

export const loadConfigState = async (q: Queryable, appId: string) =>
  found(await findConfigState(q, appId), 'app', appId);

export const viewConfigInputSchema = z.strictObject({
  /** "next" (default): what the next deployment applies (staged, else applied); "applied": what runs. */
  which: z.enum(['next', 'applied']).default('next'),
});
export type ViewConfigInput = z.input<typeof viewConfigInputSchema>;

export interface RenderedConfig {
  appId: string;
  /** Which configuration was rendered. */
  source: 'staged' | 'applied';
  /** The full odoo.conf; the admin password shows as a placeholder. */
  odooConf: string;
}

export interface AdminPassword {
  appId: string;
  /** The password of the running instance (odoo.conf admin_passwd). */
  password: Secret;
  /** A regenerated password the next deployment applies, if any. */
  stagedPassword: Secret | null;
}

export function appConfigMethods(ctx: Context) {
  return {
    /** Applied and staged configuration (Configs tab). */
    async getConfig(appId: string): Promise<AppConfigState> {
      const id = parse(appIdSchema, appId, 'appId');
      const app = await loadApp(ctx.db, id);
      await authorize(ctx, 'viewApp', appScope(app));
      return loadConfigState(ctx.db, id);
    },

    /**
     * Apply Config: stages changes (over what is already staged) for the next deployment. Nothing
     * changes on the running instance until Deploy or Update Config applies it.
     */
    async applyConfig(appId: string, input: ApplyConfigInput): Promise<AppConfigState> {
      const id = parse(appIdSchema, appId, 'appId');
      const patch = parse(applyConfigInputSchema, input, 'config changes');
      return ctx.db.transaction(async (tx) => {
        const app = await loadApp(tx, id);
        const { actor } = await authorize(ctx, 'applyConfig', appScope(app), tx);
        const state = await loadConfigState(tx, id);
        const next = parse(
          appConfigSchema,
          mergeConfig(state.staged ?? state.applied, patch),
          'config changes',
        );
        if (next.databaseName !== app.databaseName)
          await checkDatabaseFree(tx, app.serverId, next.databaseName, id);
        await stageConfig(tx, id, next, actor.userId, nowIso());
        return loadConfigState(tx, id);
      });
    },

    /** Drops staged changes (and a staged admin password): the next deployment keeps what runs. */
    async discardStagedConfig(appId: string): Promise<AppConfigState> {
      const id = parse(appIdSchema, appId, 'appId');
      return ctx.db.transaction(async (tx) => {
        const app = await loadApp(tx, id);
        await authorize(ctx, 'applyConfig', appScope(app), tx);
        await clearStagedConfig(tx, id);
        return loadConfigState(tx, id);
      });
    },

    /** View Config: the full odoo.conf, admin password hidden. */
    async viewConfig(appId: string, input?: ViewConfigInput): Promise<RenderedConfig> {
      const id = parse(appIdSchema, appId, 'appId');
      const { which } = parse(viewConfigInputSchema, input === undefined ? {} : input, 'view options');
      const app = await loadApp(ctx.db, id);
      await authorize(ctx, 'viewConfig', appScope(app));
      const state = await loadConfigState(ctx.db, id);
      const source = which === 'next' && state.staged ? 'staged' : 'applied';
      const config = source === 'staged' && state.staged ? state.staged : state.applied;
      return { appId: id, source, odooConf: renderOdooConf(app, config) };
    },

    /** Get Password: the admin (master) password, inside a Secret (`.reveal()` shows it). */
    async getAdminPassword(appId: string): Promise<AdminPassword> {
      const id = parse(appIdSchema, appId, 'appId');
      const app = await loadApp(ctx.db, id);
      await authorize(ctx, 'getAdminPassword', appScope(app));
      const sealed = found(await findAdminPasswords(ctx.db, id), 'app', id);
      return {
        appId: id,
        password: ctx.box.open(sealed.applied, adminPasswordContext(id)),
        stagedPassword: sealed.staged === null ? null : ctx.box.open(sealed.staged, adminPasswordContext(id)),
      };
    },

    /** Regenerate Password: a new CSPRNG password, staged for the next deployment. */
    async regenerateAdminPassword(appId: string): Promise<AppConfigState> {
      const id = parse(appIdSchema, appId, 'appId');
      return ctx.db.transaction(async (tx) => {
        const app = await loadApp(tx, id);
        await authorize(ctx, 'regenerateAdminPassword', appScope(app), tx);
        await stageAdminPassword(
          tx,
          id,
          ctx.box.seal(generateAdminPassword(), adminPasswordContext(id)),
          nowIso(),
        );
        return loadConfigState(tx, id);
      });
    },

    /** Automation tab settings. */
    async getAutomation(appId: string): Promise<AutomationSettings> {
      const id = parse(appIdSchema, appId, 'appId');
      const app = await loadApp(ctx.db, id);
      await authorize(ctx, 'viewApp', appScope(app));
      return found(await findAutomation(ctx.db, id), 'app', id);
    },

    /** Changes automation settings; a deadline is for non-production apps only. */
    async updateAutomation(appId: string, input: UpdateAutomationInput): Promise<AutomationSettings> {
      const id = parse(appIdSchema, appId, 'appId');
      const patch = parse(updateAutomationInputSchema, input, 'automation changes');
      return ctx.db.transaction(async (tx) => {
        const app = await loadApp(tx, id);
        await authorize(ctx, 'updateAutomation', appScope(app), tx);
        const current = found(await findAutomation(tx, id), 'app', id);
        const next = parse(automationSettingsSchema, mergeAutomation(current, patch), 'automation changes');
        checkDeadline(app.environmentType, next, []);
        await saveAutomation(tx, id, next, nowIso());
        return next;
      });
    },
  };
}
