// Projects: the unit of membership (F30) holding environments, servers and apps.
import { z } from 'zod';
import { type AccessPolicy, roleSchema } from '../access/index.js';
import { idSchema } from '../ids.js';
import { nameSchema, repositoryUrlSchema } from './common.js';

export const projectIdSchema = idSchema('project');

export const accessPolicyInputSchema = z.strictObject({
  /** The lowest role for "Developer+ (env-type specific)" actions, per environment type. */
  developerPlusByEnvironment: z.strictObject({
    development: roleSchema,
    staging: roleSchema,
    production: roleSchema,
  }),
});

export const createProjectInputSchema = z.strictObject({
  name: nameSchema,
  /** The project's Git repository (the default registry of its apps' branches). */
  repositoryUrl: repositoryUrlSchema,
});
export type CreateProjectInput = z.input<typeof createProjectInputSchema>;

export const updateProjectInputSchema = z.strictObject({
  name: nameSchema.optional(),
  repositoryUrl: repositoryUrlSchema.optional(),
  /** This project's own access policy; `null` returns to the client's default. */
  accessPolicy: accessPolicyInputSchema.nullable().optional(),
});
export type UpdateProjectInput = z.input<typeof updateProjectInputSchema>;

export interface Project {
  id: string;
  name: string;
  repositoryUrl: string;
  /** The project's own policy, or null when the client's default applies. */
  accessPolicy: AccessPolicy | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}
