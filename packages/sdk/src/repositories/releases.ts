import type { Release } from '../schemas/releases.js';
import { bool, insertRow, type Queryable, type Row, str } from './sql.js';

const COLUMNS = 'id, app_id, fingerprint, image, commit_sha, config_hash, is_current, created_by, created_at';

function toRelease(row: Row): Release {
  return {
    id: str(row.id),
    appId: str(row.app_id),
    fingerprint: str(row.fingerprint),
    image: str(row.image),
    commitSha: str(row.commit_sha),
    configHash: str(row.config_hash),
    current: bool(row.is_current),
    createdBy: str(row.created_by),
    createdAt: str(row.created_at),
  };
}

export async function findRelease(q: Queryable, id: string): Promise<Release | undefined> {
  const row = await q.get(`SELECT ${COLUMNS} FROM releases WHERE id = ?`, [id]);
  return row && toRelease(row);
}

/** The release of this build with this configuration (same image, same odoo.conf). */
export async function findReleaseByFingerprint(
  q: Queryable,
  appId: string,
  fingerprint: string,
  configHash: string,
) {
  const row = await q.get(
    `SELECT ${COLUMNS} FROM releases WHERE app_id = ? AND fingerprint = ? AND config_hash = ?`,
    [appId, fingerprint, configHash],
  );
  return row && toRelease(row);
}

export async function findCurrentRelease(q: Queryable, appId: string): Promise<Release | undefined> {
  const row = await q.get(`SELECT ${COLUMNS} FROM releases WHERE app_id = ? AND is_current = 1`, [appId]);
  return row && toRelease(row);
}

/** Newest first. */
export async function listReleases(q: Queryable, appId: string): Promise<Release[]> {
  const rows = await q.all(
    `SELECT ${COLUMNS} FROM releases WHERE app_id = ? ORDER BY created_at DESC, id DESC`,
    [appId],
  );
  return rows.map(toRelease);
}

export async function insertRelease(q: Queryable, release: Release): Promise<void> {
  await insertRow(q, 'releases', {
    id: release.id,
    app_id: release.appId,
    fingerprint: release.fingerprint,
    image: release.image,
    commit_sha: release.commitSha,
    config_hash: release.configHash,
    is_current: release.current,
    created_by: release.createdBy,
    created_at: release.createdAt,
  });
}

/** Makes `releaseId` the app's only current release (call inside a transaction). */
export async function makeCurrentRelease(q: Queryable, appId: string, releaseId: string): Promise<void> {
  await q.run('UPDATE releases SET is_current = 0 WHERE app_id = ? AND is_current = 1 AND id <> ?', [
    appId,
    releaseId,
  ]);
  await q.run('UPDATE releases SET is_current = 1 WHERE id = ?', [releaseId]);
}
