// Environments (F18): a project's development / staging / production areas and their push
// automation toggles, with type-based defaults and production's Auto-Delete locked off.
import { z } from 'zod';
import { type EnvironmentType, environmentTypeSchema } from '../access/index.js';
import { idSchema } from '../ids.js';
import { nameSchema } from './common.js';

export const environmentIdSchema = idSchema('environment');

export interface EnvironmentAutomation {
  /** Auto-Update Apps: a push on a tracked branch runs Update on its apps. */
  autoUpdate: boolean;
  /** Auto-Deploy Apps: a push runs Deploy (creating an app for a branch without one). */
  autoDeploy: boolean;
  /** Auto-Delete Apps on Branch Removal. Always off for production. */
  autoDelete: boolean;
}

/** New environments start with these (the seed's table). */
export const ENVIRONMENT_AUTOMATION_DEFAULTS: Readonly<
  Record<EnvironmentType, Readonly<EnvironmentAutomation>>
> = {
  development: { autoUpdate: true, autoDeploy: true, autoDelete: true },
  staging: { autoUpdate: true, autoDeploy: false, autoDelete: false },
  production: { autoUpdate: false, autoDeploy: false, autoDelete: false },
};

export const PRODUCTION_AUTO_DELETE_LOCKED =
  'Auto-Delete Apps on Branch Removal is locked off for production environments: leave autoDelete false.';

export const createEnvironmentInputSchema = z.strictObject({
  projectId: idSchema('project'),
  type: environmentTypeSchema,
  /** Defaults to the type ("production"). Unique within the project. */
  name: nameSchema.optional(),
  autoUpdate: z.boolean().optional(),
  autoDeploy: z.boolean().optional(),
  autoDelete: z.boolean().optional(),
});
export type CreateEnvironmentInput = z.input<typeof createEnvironmentInputSchema>;

export const updateEnvironmentInputSchema = z.strictObject({
  name: nameSchema.optional(),
  autoUpdate: z.boolean().optional(),
  autoDeploy: z.boolean().optional(),
  autoDelete: z.boolean().optional(),
});
export type UpdateEnvironmentInput = z.input<typeof updateEnvironmentInputSchema>;

export interface Environment extends EnvironmentAutomation {
  id: string;
  projectId: string;
  name: string;
  type: EnvironmentType;
  createdAt: string;
  updatedAt: string;
}
