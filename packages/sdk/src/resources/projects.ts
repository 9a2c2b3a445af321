// client.projects: create (any actor, who becomes its Admin), read, change.

import { nowIso } from '../clock.js';
import { authorize, type Context, guardAll, parse, requireActor } from '../context.js';
import { newId } from '../ids.js';
import { insertMember } from '../repositories/members.js';
import { insertProject, listProjectsOfUser, updateProject } from '../repositories/projects.js';
import {
  type CreateProjectInput,
  createProjectInputSchema,
  type Project,
  projectIdSchema,
  type UpdateProjectInput,
  updateProjectInputSchema,
} from '../schemas/projects.js';
import { loadProject } from './load.js';

export function projectsResource(ctx: Context) {
  return guardAll({
    /** Creates a project; the actor becomes its Admin (in the same transaction). */
    async create(input: CreateProjectInput): Promise<Project> {
      const actor = requireActor(ctx);
      const fields = parse(createProjectInputSchema, input, 'project');
      const at = nowIso();
      const project: Project = {
        id: newId('project'),
        ...fields,
        accessPolicy: null,
        createdBy: actor.userId,
        createdAt: at,
        updatedAt: at,
      };
      await ctx.db.transaction(async (tx) => {
        await insertProject(tx, project);
        await insertMember(tx, {
          projectId: project.id,
          userId: actor.userId,
          name: actor.name ?? null,
          role: 'admin',
          addedBy: actor.userId,
          createdAt: at,
          updatedAt: at,
        });
      });
      return project;
    },

    async get(projectId: string): Promise<Project> {
      const id = parse(projectIdSchema, projectId, 'projectId');
      const project = await loadProject(ctx.db, id);
      await authorize(ctx, 'viewProject', { projectId: id });
      return project;
    },

    /** The projects the actor is a member of. */
    async list(): Promise<Project[]> {
      const actor = requireActor(ctx);
      return listProjectsOfUser(ctx.db, actor.userId);
    },

    /** Renames, changes the repository, or sets the project's own access policy (Admin). */
    async update(projectId: string, input: UpdateProjectInput): Promise<Project> {
      const id = parse(projectIdSchema, projectId, 'projectId');
      const fields = parse(updateProjectInputSchema, input, 'project changes');
      return ctx.db.transaction(async (tx) => {
        await loadProject(tx, id);
        await authorize(ctx, 'manageProjects', { projectId: id }, tx);
        if (fields.accessPolicy !== undefined) await authorize(ctx, 'manageMembers', { projectId: id }, tx);
        await updateProject(tx, id, { ...fields, updatedAt: nowIso() });
        return loadProject(tx, id);
      });
    },
  });
}

export type ProjectsResource = ReturnType<typeof projectsResource>;
