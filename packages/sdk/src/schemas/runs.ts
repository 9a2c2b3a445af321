// Runs (F26): an app's workflow history, read from Temporal by the operations engine.
import { z } from 'zod';
import { ACTION_NAMES, type ActionName } from '../access/index.js';
import { idSchema } from '../ids.js';
import { RUN_STATUSES } from '../operations.js';

const actionNameSchema = z.enum(ACTION_NAMES as unknown as [ActionName, ...ActionName[]]);

export const listRunsInputSchema = z.strictObject({
  appId: idSchema('app'),
  status: z.array(z.enum(RUN_STATUSES)).min(1).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  /** Operations by their SDK verb, e.g. ['deploy', 'rollback']. */
  operation: z.array(actionNameSchema).min(1).optional(),
  pageSize: z.number().int().min(1).max(500).default(50),
  pageToken: z.string().min(1).max(4096).optional(),
});
export type ListRunsInput = z.input<typeof listRunsInputSchema>;

/** A run: `{ appId, workflowId }`, or the `RunRef` an operation returned. */
export const getRunInputSchema = z
  .strictObject({
    appId: idSchema('app'),
    workflowId: z.string().min(1).max(400),
    runId: z.string().min(1).max(200).optional(),
    operation: actionNameSchema.optional(),
  })
  .transform(({ appId, workflowId }) => ({ appId, workflowId }));
export type GetRunInput = z.input<typeof getRunInputSchema>;
