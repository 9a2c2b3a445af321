// Runs (F26): an app's workflow history, read from Temporal by the operations engine.
import { z } from 'zod';
import { idSchema } from '../ids.js';
import { RUN_STATUSES } from '../operations.js';

export const listRunsInputSchema = z.strictObject({
  appId: idSchema('app'),
  status: z.array(z.enum(RUN_STATUSES)).min(1).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.number().int().min(1).max(500).default(50),
});
export type ListRunsInput = z.input<typeof listRunsInputSchema>;

export const getRunInputSchema = z.strictObject({
  appId: idSchema('app'),
  workflowId: z.string().min(1).max(400),
  runId: z.string().min(1).max(200).optional(),
});
export type GetRunInput = z.input<typeof getRunInputSchema>;
