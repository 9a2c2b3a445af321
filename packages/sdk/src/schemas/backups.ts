// Backups (F24): records of database + filestore backups. The engine takes them; these rows
// say what exists, where it is stored and how it went.
import { z } from 'zod';
import { idSchema } from '../ids.js';
import { userIdSchema } from './common.js';

export const BACKUP_STATUSES = ['pending', 'running', 'completed', 'failed'] as const;
export type BackupStatus = (typeof BACKUP_STATUSES)[number];
export const BACKUP_KINDS = ['manual', 'scheduled'] as const;
export type BackupKind = (typeof BACKUP_KINDS)[number];

export const backupIdSchema = idSchema('backup');

export const backupInputSchema = z.strictObject({
  note: z.string().max(500).optional(),
});
export type BackupInput = z.input<typeof backupInputSchema>;

const storageKeySchema = z
  .string()
  .max(1024)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._\-/]*$/, { error: 'expected a storage key (letters, digits, . _ - /)' })
  .refine((value) => !value.split('/').includes('..'), { error: 'must not contain ".."' });

const size = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const recordBackupInputSchema = z.strictObject({
  appId: idSchema('app'),
  kind: z.enum(BACKUP_KINDS),
  createdBy: userIdSchema,
  note: z.string().max(500).default(''),
  /** Pre-chosen id, so a retried activity records the same backup once. */
  id: idSchema('backup').optional(),
});
export type RecordBackupInput = z.input<typeof recordBackupInputSchema>;

export const updateBackupInputSchema = z.strictObject({
  status: z.enum(BACKUP_STATUSES),
  databaseSize: size.optional(),
  filestoreSize: size.optional(),
  storageKey: storageKeySchema.optional(),
  error: z.string().max(4000).optional(),
  expiresAt: z.iso.datetime().optional(),
});
export type UpdateBackupInput = z.input<typeof updateBackupInputSchema>;

export interface Backup {
  id: string;
  projectId: string;
  appId: string;
  /** The server the backup was taken on (restores may target another one). */
  serverId: string;
  kind: BackupKind;
  status: BackupStatus;
  databaseSize: number | null;
  filestoreSize: number | null;
  storageKey: string | null;
  note: string;
  error: string | null;
  createdBy: string;
  createdAt: string;
  completedAt: string | null;
  expiresAt: string | null;
}
