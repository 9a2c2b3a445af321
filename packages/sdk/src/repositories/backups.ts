import type { Backup, BackupKind, BackupStatus } from '../schemas/backups.js';
import { insertRow, numOrNull, type Queryable, type Row, str, strOrNull, updateColumns } from './sql.js';

const BACKUP_COLUMNS =
  'id, project_id, app_id, server_id, kind, status, database_size, filestore_size, storage_key, note, error, created_by, created_at, completed_at, expires_at';

function toBackup(row: Row): Backup {
  return {
    id: str(row.id),
    projectId: str(row.project_id),
    appId: str(row.app_id),
    serverId: str(row.server_id),
    kind: str(row.kind) as BackupKind,
    status: str(row.status) as BackupStatus,
    databaseSize: numOrNull(row.database_size),
    filestoreSize: numOrNull(row.filestore_size),
    storageKey: strOrNull(row.storage_key),
    note: str(row.note),
    error: strOrNull(row.error),
    createdBy: str(row.created_by),
    createdAt: str(row.created_at),
    completedAt: strOrNull(row.completed_at),
    expiresAt: strOrNull(row.expires_at),
  };
}

export async function findBackup(q: Queryable, id: string): Promise<Backup | undefined> {
  const row = await q.get(`SELECT ${BACKUP_COLUMNS} FROM backups WHERE id = ?`, [id]);
  return row && toBackup(row);
}

/** Newest first. */
export async function listBackups(q: Queryable, appId: string): Promise<Backup[]> {
  const rows = await q.all(
    `SELECT ${BACKUP_COLUMNS} FROM backups WHERE app_id = ? ORDER BY created_at DESC, id DESC`,
    [appId],
  );
  return rows.map(toBackup);
}

export async function insertBackup(q: Queryable, backup: Backup): Promise<void> {
  await insertRow(q, 'backups', {
    id: backup.id,
    project_id: backup.projectId,
    app_id: backup.appId,
    server_id: backup.serverId,
    kind: backup.kind,
    status: backup.status,
    database_size: backup.databaseSize,
    filestore_size: backup.filestoreSize,
    storage_key: backup.storageKey,
    note: backup.note,
    error: backup.error,
    created_by: backup.createdBy,
    created_at: backup.createdAt,
    completed_at: backup.completedAt,
    expires_at: backup.expiresAt,
  });
}

export async function updateBackup(
  q: Queryable,
  id: string,
  fields: Partial<
    Pick<
      Backup,
      'status' | 'databaseSize' | 'filestoreSize' | 'storageKey' | 'error' | 'completedAt' | 'expiresAt'
    >
  >,
) {
  await updateColumns(
    q,
    'backups',
    { id },
    {
      status: fields.status,
      database_size: fields.databaseSize,
      filestore_size: fields.filestoreSize,
      storage_key: fields.storageKey,
      error: fields.error,
      completed_at: fields.completedAt,
      expires_at: fields.expiresAt,
    },
  );
}
