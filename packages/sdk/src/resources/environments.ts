// client.environments (F18): a project's environments and their push automation toggles.
import { nowIso } from '../clock.js';
import { authorize, type Context, guardAll, parse } from '../context.js';
import { ConflictError, ValidationError } from '../errors.js';
import { newId } from '../ids.js';
import { countAppsWhere } from '../repositories/apps.js';
import {
  deleteEnvironment,
  findEnvironmentByName,
  insertEnvironment,
  listEnvironments,
  updateEnvironment,
} from '../repositories/environments.js';
import {
  type CreateEnvironmentInput,
  createEnvironmentInputSchema,
  ENVIRONMENT_AUTOMATION_DEFAULTS,
  type Environment,
  environmentIdSchema,
  PRODUCTION_AUTO_DELETE_LOCKED,
  type UpdateEnvironmentInput,
  updateEnvironmentInputSchema,
} from '../schemas/environments.js';
import { projectIdSchema } from '../schemas/projects.js';
import type { Queryable } from '../store/driver.js';
import { loadEnvironment, loadProject } from './load.js';

function checkProductionLock(type: Environment['type'], autoDelete: boolean | undefined): void {
  if (type === 'production' && autoDelete === true)
    throw ValidationError.forField(['autoDelete'], PRODUCTION_AUTO_DELETE_LOCKED);
}

async function checkNameFree(q: Queryable, projectId: string, name: string, exceptId?: string) {
  const existing = await findEnvironmentByName(q, projectId, name);
  if (existing && existing.id !== exceptId) {
    throw new ConflictError(`The project already has an environment named "${name}": choose another name.`, {
      environmentId: existing.id,
    });
  }
}

export function environmentsResource(ctx: Context) {
  return guardAll({
    /** Creates an environment with its type's automation defaults (overridable, except production's Auto-Delete). */
    async create(input: CreateEnvironmentInput): Promise<Environment> {
      const fields = parse(createEnvironmentInputSchema, input, 'environment');
      checkProductionLock(fields.type, fields.autoDelete);
      const defaults = ENVIRONMENT_AUTOMATION_DEFAULTS[fields.type];
      const at = nowIso();
      const env: Environment = {
        id: newId('environment'),
        projectId: fields.projectId,
        name: fields.name ?? fields.type,
        type: fields.type,
        autoUpdate: fields.autoUpdate ?? defaults.autoUpdate,
        autoDeploy: fields.autoDeploy ?? defaults.autoDeploy,
        autoDelete: fields.autoDelete ?? defaults.autoDelete,
        createdAt: at,
        updatedAt: at,
      };
      await ctx.db.transaction(async (tx) => {
        await loadProject(tx, fields.projectId);
        await authorize(
          ctx,
          'manageEnvironments',
          { projectId: fields.projectId, environmentType: fields.type },
          tx,
        );
        await checkNameFree(tx, env.projectId, env.name);
        await insertEnvironment(tx, env);
      });
      return env;
    },

    async get(environmentId: string): Promise<Environment> {
      const id = parse(environmentIdSchema, environmentId, 'environmentId');
      const env = await loadEnvironment(ctx.db, id);
      await authorize(ctx, 'viewProject', { projectId: env.projectId, environmentType: env.type });
      return env;
    },

    async list(projectId: string): Promise<Environment[]> {
      const id = parse(projectIdSchema, projectId, 'projectId');
      await loadProject(ctx.db, id);
      await authorize(ctx, 'viewProject', { projectId: id });
      return listEnvironments(ctx.db, id);
    },

    /**
     * Renames (Admin) and/or sets the automation toggles (the environment type's Developer+ role).
     * Turning Auto-Delete on for production is a ValidationError.
     */
    async update(environmentId: string, input: UpdateEnvironmentInput): Promise<Environment> {
      const id = parse(environmentIdSchema, environmentId, 'environmentId');
      const fields = parse(updateEnvironmentInputSchema, input, 'environment changes');
      return ctx.db.transaction(async (tx) => {
        const env = await loadEnvironment(tx, id);
        const scope = { projectId: env.projectId, environmentType: env.type };
        if (fields.name !== undefined) {
          await authorize(ctx, 'manageEnvironments', scope, tx);
          await checkNameFree(tx, env.projectId, fields.name, env.id);
        }
        const { name: _name, ...toggles } = fields;
        if (Object.values(toggles).some((value) => value !== undefined) || fields.name === undefined) {
          await authorize(ctx, 'updateEnvironmentAutomation', scope, tx);
        }
        checkProductionLock(env.type, fields.autoDelete);
        await updateEnvironment(tx, id, { ...fields, updatedAt: nowIso() });
        return loadEnvironment(tx, id);
      });
    },

    /** Deletes an environment without apps (Admin). */
    async delete(environmentId: string): Promise<void> {
      const id = parse(environmentIdSchema, environmentId, 'environmentId');
      await ctx.db.transaction(async (tx) => {
        const env = await loadEnvironment(tx, id);
        await authorize(
          ctx,
          'manageEnvironments',
          { projectId: env.projectId, environmentType: env.type },
          tx,
        );
        const apps = await countAppsWhere(tx, 'environment_id', id);
        if (apps > 0) {
          throw new ConflictError(`Environment "${env.name}" still has ${apps} app(s): destroy them first.`, {
            environmentId: id,
            apps,
          });
        }
        await deleteEnvironment(tx, id);
      });
    },
  });
}

export type EnvironmentsResource = ReturnType<typeof environmentsResource>;
