// Access checks (F2, F30): "may the actor run this action on this app / project now?"
import { z } from 'zod';
import { ACTION_NAMES, type ActionName } from '../access/index.js';
import { idSchema } from '../ids.js';

export const actionNameSchema = z.enum(ACTION_NAMES as [ActionName, ...ActionName[]], {
  error: 'expected an action name such as "deploy" (see ACTIONS)',
});

export const checkAccessInputSchema = z.union([
  z.strictObject({ action: actionNameSchema, appId: idSchema('app') }),
  z.strictObject({ action: actionNameSchema, branchId: idSchema('branch') }),
  z.strictObject({ action: actionNameSchema, urlId: idSchema('url') }),
  /** Project actions; with an environment, its type decides "Developer+ (env-type specific)". */
  z.strictObject({
    action: actionNameSchema,
    projectId: idSchema('project'),
    environmentId: idSchema('environment').optional(),
  }),
]);
export type CheckAccessInput = z.input<typeof checkAccessInputSchema>;
