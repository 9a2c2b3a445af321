// Members (F30): a user's role in one project. Admins manage them.
import { z } from 'zod';
import { type Role, roleSchema } from '../access/index.js';
import { idSchema } from '../ids.js';
import { nameSchema, userIdSchema } from './common.js';

export const addMemberInputSchema = z.strictObject({
  projectId: idSchema('project'),
  userId: userIdSchema,
  name: nameSchema.optional(),
  role: roleSchema,
});
export type AddMemberInput = z.input<typeof addMemberInputSchema>;

export const setMemberRoleInputSchema = z.strictObject({
  projectId: idSchema('project'),
  userId: userIdSchema,
  role: roleSchema,
});
export type SetMemberRoleInput = z.input<typeof setMemberRoleInputSchema>;

export const removeMemberInputSchema = z.strictObject({
  projectId: idSchema('project'),
  userId: userIdSchema,
});
export type RemoveMemberInput = z.input<typeof removeMemberInputSchema>;

export interface Member {
  projectId: string;
  userId: string;
  name: string | null;
  role: Role;
  addedBy: string;
  createdAt: string;
  updatedAt: string;
}
