import type { Restoration, RestorationStatus } from '../schemas/restorations.js';
import { bool, insertRow, type Queryable, type Row, str, strOrNull, updateColumns } from './sql.js';

const RESTORATION_COLUMNS =
  'id, project_id, backup_id, source_app_id, source_server_id, target_app_id, target_server_id, status, neutralize, error, created_by, created_at, completed_at';

function toRestoration(row: Row): Restoration {
  return {
    id: str(row.id),
    projectId: str(row.project_id),
    backupId: str(row.backup_id),
    sourceAppId: str(row.source_app_id),
    sourceServerId: str(row.source_server_id),
    targetAppId: str(row.target_app_id),
    targetServerId: str(row.target_server_id),
    neutralize: bool(row.neutralize),
    crossServer: str(row.source_server_id) !== str(row.target_server_id),
    status: str(row.status) as RestorationStatus,
    error: strOrNull(row.error),
    createdBy: str(row.created_by),
    createdAt: str(row.created_at),
    completedAt: strOrNull(row.completed_at),
  };
}

export async function findRestoration(q: Queryable, id: string): Promise<Restoration | undefined> {
  const row = await q.get(`SELECT ${RESTORATION_COLUMNS} FROM restorations WHERE id = ?`, [id]);
  return row && toRestoration(row);
}

/** Restorations into the app (newest first). */
export async function listRestorations(q: Queryable, appId: string): Promise<Restoration[]> {
  const rows = await q.all(
    `SELECT ${RESTORATION_COLUMNS} FROM restorations WHERE target_app_id = ? ORDER BY created_at DESC, id DESC`,
    [appId],
  );
  return rows.map(toRestoration);
}

export async function insertRestoration(q: Queryable, restoration: Restoration): Promise<void> {
  await insertRow(q, 'restorations', {
    id: restoration.id,
    project_id: restoration.projectId,
    backup_id: restoration.backupId,
    source_app_id: restoration.sourceAppId,
    source_server_id: restoration.sourceServerId,
    target_app_id: restoration.targetAppId,
    target_server_id: restoration.targetServerId,
    status: restoration.status,
    neutralize: restoration.neutralize,
    error: restoration.error,
    created_by: restoration.createdBy,
    created_at: restoration.createdAt,
    completed_at: restoration.completedAt,
  });
}

export async function updateRestoration(
  q: Queryable,
  id: string,
  fields: { status: RestorationStatus; error?: string; completedAt?: string },
) {
  await updateColumns(
    q,
    'restorations',
    { id },
    { status: fields.status, error: fields.error, completed_at: fields.completedAt },
  );
}
