// client.access (F2, F30): the decisions themselves, for UIs and scripts that want to know before
// they call (the same function every method uses to refuse).
import type { AccessPolicy, Decision, Role } from '../access/index.js';
import {
  type AccessScope,
  authorize,
  type Context,
  decideFor,
  guardAll,
  parse,
  requireActor,
} from '../context.js';
import { findAccess } from '../repositories/projects.js';
import { type CheckAccessInput, checkAccessInputSchema } from '../schemas/access.js';
import { projectIdSchema } from '../schemas/projects.js';
import type { Queryable } from '../store/driver.js';
import { appScope, loadApp, loadBranch, loadEnvironment, loadProject, loadUrl } from './load.js';

async function scopeOf(
  q: Queryable,
  input: ReturnType<typeof checkAccessInputSchema.parse>,
): Promise<AccessScope> {
  if ('appId' in input) return appScope(await loadApp(q, input.appId));
  if ('branchId' in input) {
    const branch = await loadBranch(q, input.branchId);
    return appScope(await loadApp(q, branch.appId), { isMainBranch: branch.isMain });
  }
  if ('urlId' in input) {
    const url = await loadUrl(q, input.urlId);
    return appScope(await loadApp(q, url.appId), { isPrimaryUrl: url.isPrimary });
  }
  await loadProject(q, input.projectId);
  if (!input.environmentId) return { projectId: input.projectId };
  const env = await loadEnvironment(q, input.environmentId);
  if (env.projectId !== input.projectId) return { projectId: input.projectId };
  return { projectId: input.projectId, environmentType: env.type };
}

export function accessResource(ctx: Context) {
  return guardAll({
    /** The decision for one action: allowed, or why not (reason, required role, message). */
    async check(input: CheckAccessInput): Promise<Decision> {
      requireActor(ctx);
      const fields = parse(checkAccessInputSchema, input, 'access check');
      const scope = await scopeOf(ctx.db, fields);
      return (await decideFor(ctx, fields.action, scope)).decision;
    },

    /** The actor's role in the project, or null when not a member. */
    async role(projectId: string): Promise<Role | null> {
      const actor = requireActor(ctx);
      const id = parse(projectIdSchema, projectId, 'projectId');
      const access = await findAccess(ctx.db, id, actor.userId);
      if (!access) await loadProject(ctx.db, id);
      return access?.role ?? null;
    },

    /** The access policy in force for the project (its own, else the client's default). */
    async policy(projectId: string): Promise<AccessPolicy> {
      const id = parse(projectIdSchema, projectId, 'projectId');
      await loadProject(ctx.db, id);
      return (await authorize(ctx, 'viewProject', { projectId: id })).policy;
    },
  });
}

export type AccessResource = ReturnType<typeof accessResource>;
