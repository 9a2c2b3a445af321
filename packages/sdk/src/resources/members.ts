// client.members (F30): who holds which role in a project. Admins manage them; a project always
// keeps at least one Admin.
import type { Role } from '../access/index.js';
import { nowIso } from '../clock.js';
import { authorize, type Context, guardAll, parse } from '../context.js';
import { ConflictError, NotFoundError } from '../errors.js';
import {
  countAdmins,
  deleteMember,
  findMember,
  insertMember,
  listMembers,
  setMemberRole,
} from '../repositories/members.js';
import {
  type AddMemberInput,
  addMemberInputSchema,
  type Member,
  type RemoveMemberInput,
  removeMemberInputSchema,
  type SetMemberRoleInput,
  setMemberRoleInputSchema,
} from '../schemas/members.js';
import { projectIdSchema } from '../schemas/projects.js';
import type { Queryable } from '../store/driver.js';
import { loadProject } from './load.js';

async function loadMember(q: Queryable, projectId: string, userId: string): Promise<Member> {
  const member = await findMember(q, projectId, userId);
  if (!member) throw new NotFoundError('member', `${projectId}/${userId}`);
  return member;
}

async function keepAnAdmin(q: Queryable, member: Member, nextRole: Role | null): Promise<void> {
  if (member.role === 'admin' && nextRole !== 'admin' && (await countAdmins(q, member.projectId)) <= 1) {
    throw new ConflictError(
      `${member.userId} is the project's last Admin: make another member Admin first, so the project stays managed.`,
      { projectId: member.projectId, userId: member.userId },
    );
  }
}

export function membersResource(ctx: Context) {
  return guardAll({
    async list(projectId: string): Promise<Member[]> {
      const id = parse(projectIdSchema, projectId, 'projectId');
      await loadProject(ctx.db, id);
      await authorize(ctx, 'viewProject', { projectId: id });
      return listMembers(ctx.db, id);
    },

    /** Adds a member with a role (Admin). */
    async add(input: AddMemberInput): Promise<Member> {
      const fields = parse(addMemberInputSchema, input, 'member');
      return ctx.db.transaction(async (tx) => {
        await loadProject(tx, fields.projectId);
        const { actor } = await authorize(ctx, 'manageMembers', { projectId: fields.projectId }, tx);
        if (await findMember(tx, fields.projectId, fields.userId)) {
          throw new ConflictError(
            `${fields.userId} is already a member: use members.setRole to change the role.`,
            {
              projectId: fields.projectId,
              userId: fields.userId,
            },
          );
        }
        const at = nowIso();
        const member: Member = {
          ...fields,
          name: fields.name ?? null,
          addedBy: actor.userId,
          createdAt: at,
          updatedAt: at,
        };
        await insertMember(tx, member);
        return member;
      });
    },

    /** Changes a member's role (Admin). */
    async setRole(input: SetMemberRoleInput): Promise<Member> {
      const fields = parse(setMemberRoleInputSchema, input, 'role change');
      return ctx.db.transaction(async (tx) => {
        await loadProject(tx, fields.projectId);
        await authorize(ctx, 'manageMembers', { projectId: fields.projectId }, tx);
        const member = await loadMember(tx, fields.projectId, fields.userId);
        await keepAnAdmin(tx, member, fields.role);
        await setMemberRole(tx, fields.projectId, fields.userId, fields.role, nowIso());
        return loadMember(tx, fields.projectId, fields.userId);
      });
    },

    /** Removes a member (Admin). */
    async remove(input: RemoveMemberInput): Promise<void> {
      const fields = parse(removeMemberInputSchema, input, 'member');
      await ctx.db.transaction(async (tx) => {
        await loadProject(tx, fields.projectId);
        await authorize(ctx, 'manageMembers', { projectId: fields.projectId }, tx);
        const member = await loadMember(tx, fields.projectId, fields.userId);
        await keepAnAdmin(tx, member, null);
        await deleteMember(tx, fields.projectId, fields.userId);
      });
    },
  });
}

export type MembersResource = ReturnType<typeof membersResource>;
