// Restorations (F25): a backup restored into the same app or another one, possibly on another
// server. Restores into non-production apps are neutralized (no outgoing mail, no crons).
import { z } from 'zod';
import { idSchema } from '../ids.js';
import { userIdSchema } from './common.js';

export const RESTORATION_STATUSES = ['pending', 'running', 'completed', 'failed'] as const;
export type RestorationStatus = (typeof RESTORATION_STATUSES)[number];

export const restorationIdSchema = idSchema('restoration');

export const restoreInputSchema = z.strictObject({
  /** A completed backup of this app or of another app of the project. */
  backupId: idSchema('backup'),
});
export type RestoreInput = z.input<typeof restoreInputSchema>;

export const recordRestorationInputSchema = z.strictObject({
  backupId: idSchema('backup'),
  targetAppId: idSchema('app'),
  createdBy: userIdSchema,
  id: idSchema('restoration').optional(),
});
export type RecordRestorationInput = z.input<typeof recordRestorationInputSchema>;

export const updateRestorationInputSchema = z.strictObject({
  status: z.enum(RESTORATION_STATUSES),
  error: z.string().max(4000).optional(),
});
export type UpdateRestorationInput = z.input<typeof updateRestorationInputSchema>;

export interface Restoration {
  id: string;
  projectId: string;
  backupId: string;
  sourceAppId: string;
  sourceServerId: string;
  targetAppId: string;
  targetServerId: string;
  /** True when the target is not production: the restored database is neutralized. */
  neutralize: boolean;
  /** True when the backup comes from another server than the target's. */
  crossServer: boolean;
  status: RestorationStatus;
  error: string | null;
  createdBy: string;
  createdAt: string;
  completedAt: string | null;
}
