// Apps (F1): one Odoo deployment in an environment, on a server.
import { z } from 'zod';
import { type AppState, type EnvironmentType, engineSchema } from '../access/index.js';
import { idSchema } from '../ids.js';
import { updateAutomationInputSchema } from './automation.js';
import { addBranchInputSchema } from './branches.js';
import { domainSchema, nameSchema, noteSchema } from './common.js';
import { applyConfigInputSchema, databaseNameSchema } from './config.js';
import { sslProviderSchema } from './urls.js';

export const ODOO_VERSIONS = ['16.0', '17.0', '18.0'] as const;
export type OdooVersion = (typeof ODOO_VERSIONS)[number];
export const odooVersionSchema = z.enum(ODOO_VERSIONS);

export const EDITIONS = ['community', 'enterprise'] as const;
export type Edition = (typeof EDITIONS)[number];
export const editionSchema = z.enum(EDITIONS);

export const appIdSchema = idSchema('app');

export const createAppInputSchema = z.strictObject({
  environmentId: idSchema('environment'),
  /** A server of the same project. */
  serverId: idSchema('server'),
  /** Unique within the project. */
  name: nameSchema,
  odooVersion: odooVersionSchema,
  engine: engineSchema.default('docker'),
  edition: editionSchema.default('community'),
  deploymentNote: noteSchema.default(''),
  /** Defaults to the app name made database-safe. */
  databaseName: databaseNameSchema.optional(),
  /** The main branch to track (its repository defaults to the project's). */
  branch: addBranchInputSchema.omit({ main: true }).optional(),
  /** The primary URL. */
  primaryUrl: z.strictObject({ domain: domainSchema, sslProvider: sslProviderSchema.optional() }).optional(),
  /** Initial configuration over the defaults (applied: nothing runs yet). */
  config: applyConfigInputSchema.omit({ databaseName: true }).optional(),
  automation: updateAutomationInputSchema.optional(),
});
export type CreateAppInput = z.input<typeof createAppInputSchema>;

export const editAppInputSchema = z.strictObject({
  name: nameSchema.optional(),
  deploymentNote: noteSchema.optional(),
});
export type EditAppInput = z.input<typeof editAppInputSchema>;

export const listAppsInputSchema = z.strictObject({
  projectId: idSchema('project'),
  environmentId: idSchema('environment').optional(),
  serverId: idSchema('server').optional(),
});
export type ListAppsInput = z.input<typeof listAppsInputSchema>;

export interface App {
  id: string;
  projectId: string;
  environmentId: string;
  environmentType: EnvironmentType;
  serverId: string;
  name: string;
  odooVersion: OdooVersion;
  engine: 'docker';
  edition: Edition;
  state: AppState;
  deploymentNote: string;
  /** The applied database name (a staged change shows in the config). */
  databaseName: string;
  /** The primary URL's domain, or null before any URL is added. */
  primaryUrl: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}
