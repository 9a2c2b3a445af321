// client.branches (F20): the app's branch table. Exactly one branch of an app is main; the main
// branch cannot be deleted.
import { nowIso } from '../clock.js';
import { authorize, type Context, guardAll, parse } from '../context.js';
import { ConflictError } from '../errors.js';
import { newId } from '../ids.js';
import type { RunRef } from '../operations.js';
import {
  deleteBranch,
  findBranchByName,
  insertBranch,
  listBranches,
  makeMainBranch,
} from '../repositories/branches.js';
import { appIdSchema } from '../schemas/apps.js';
import {
  type AddBranchInput,
  addBranchInputSchema,
  type Branch,
  branchIdSchema,
} from '../schemas/branches.js';
import { appScope, loadApp, loadBranch, loadProject } from './load.js';
import { startOn } from './operate.js';

export function branchesResource(ctx: Context) {
  const loadWithApp = async (branchId: unknown) => {
    const branch = await loadBranch(ctx.db, parse(branchIdSchema, branchId, 'branchId'));
    return { branch, app: await loadApp(ctx.db, branch.appId) };
  };

  return guardAll({
    /** The branch table: main branch first. */
    async list(appId: string): Promise<Branch[]> {
      const id = parse(appIdSchema, appId, 'appId');
      const app = await loadApp(ctx.db, id);
      await authorize(ctx, 'viewApp', appScope(app));
      return listBranches(ctx.db, id);
    },

    async get(branchId: string): Promise<Branch> {
      const { branch, app } = await loadWithApp(branchId);
      await authorize(ctx, 'viewApp', appScope(app));
      return branch;
    },

    /** Add Branch: binds a branch of a repository (default: the project's) to the app. */
    async add(appId: string, input: AddBranchInput): Promise<Branch> {
      const id = parse(appIdSchema, appId, 'appId');
      const fields = parse(addBranchInputSchema, input, 'branch');
      return ctx.db.transaction(async (tx) => {
        const app = await loadApp(tx, id);
        await authorize(ctx, 'addBranch', appScope(app), tx);
        const repository = fields.repository ?? (await loadProject(tx, app.projectId)).repositoryUrl;
        if (await findBranchByName(tx, id, repository, fields.name)) {
          throw new ConflictError(`The app already tracks branch "${fields.name}" of ${repository}.`, {
            appId: id,
            name: fields.name,
          });
        }
        const isFirst = (await listBranches(tx, id)).length === 0;
        const at = nowIso();
        const branch: Branch = {
          id: newId('branch'),
          appId: id,
          repository,
          name: fields.name,
          commitSha: fields.commitSha ?? null,
          isMain: false,
          createdAt: at,
          updatedAt: at,
        };
        await insertBranch(tx, branch);
        if (isFirst || fields.main) await makeMainBranch(tx, id, branch.id, at);
        return loadBranch(tx, branch.id);
      });
    },

    /** Marks the branch as the app's main branch (the previous main one stops being main). */
    async setMain(branchId: string): Promise<Branch> {
      const id = parse(branchIdSchema, branchId, 'branchId');
      return ctx.db.transaction(async (tx) => {
        const branch = await loadBranch(tx, id);
        const app = await loadApp(tx, branch.appId);
        await authorize(ctx, 'addBranch', appScope(app), tx);
        await makeMainBranch(tx, app.id, id, nowIso());
        return loadBranch(tx, id);
      });
    },

    /** Delete: removes a branch connection; never the main branch. */
    async delete(branchId: string): Promise<void> {
      const id = parse(branchIdSchema, branchId, 'branchId');
      await ctx.db.transaction(async (tx) => {
        const branch = await loadBranch(tx, id);
        const app = await loadApp(tx, branch.appId);
        await authorize(ctx, 'deleteBranch', appScope(app, { isMainBranch: branch.isMain }), tx);
        await deleteBranch(tx, id);
      });
    },

    /** Refresh SHA: the engine fetches the branch's latest commit and records it. */
    async refreshSha(branchId: string): Promise<RunRef> {
      const { branch, app } = await loadWithApp(branchId);
      return startOn(ctx, app, 'refreshSha', { branchId: branch.id }, { isMainBranch: branch.isMain });
    },

    /** Download Addons: the engine fetches the branch's addon sources. */
    async downloadAddons(branchId: string): Promise<RunRef> {
      const { branch, app } = await loadWithApp(branchId);
      return startOn(ctx, app, 'downloadAddons', { branchId: branch.id }, { isMainBranch: branch.isMain });
    },
  });
}

export type BranchesResource = ReturnType<typeof branchesResource>;
