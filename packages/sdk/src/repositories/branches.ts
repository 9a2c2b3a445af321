import type { Branch } from '../schemas/branches.js';
import { bool, insertRow, type Queryable, type Row, str, strOrNull, updateColumns } from './sql.js';

const COLUMNS = 'id, app_id, repository, name, commit_sha, is_main, created_at, updated_at';

function toBranch(row: Row): Branch {
  return {
    id: str(row.id),
    appId: str(row.app_id),
    repository: str(row.repository),
    name: str(row.name),
    commitSha: strOrNull(row.commit_sha),
    isMain: bool(row.is_main),
    createdAt: str(row.created_at),
    updatedAt: str(row.updated_at),
  };
}

export async function findBranch(q: Queryable, id: string): Promise<Branch | undefined> {
  const row = await q.get(`SELECT ${COLUMNS} FROM branches WHERE id = ?`, [id]);
  return row && toBranch(row);
}

export async function findBranchByName(q: Queryable, appId: string, repository: string, name: string) {
  const row = await q.get(
    `SELECT ${COLUMNS} FROM branches WHERE app_id = ? AND repository = ? AND name = ?`,
    [appId, repository, name],
  );
  return row && toBranch(row);
}

/** Main branch first, then in the order they were added. */
export async function listBranches(q: Queryable, appId: string): Promise<Branch[]> {
  const rows = await q.all(
    `SELECT ${COLUMNS} FROM branches WHERE app_id = ? ORDER BY is_main DESC, created_at, id`,
    [appId],
  );
  return rows.map(toBranch);
}

export async function insertBranch(q: Queryable, branch: Branch): Promise<void> {
  await insertRow(q, 'branches', {
    id: branch.id,
    app_id: branch.appId,
    repository: branch.repository,
    name: branch.name,
    commit_sha: branch.commitSha,
    is_main: branch.isMain,
    created_at: branch.createdAt,
    updated_at: branch.updatedAt,
  });
}

/** Makes `branchId` the app's only main branch (call inside a transaction). */
export async function makeMainBranch(
  q: Queryable,
  appId: string,
  branchId: string,
  at: string,
): Promise<void> {
  await q.run(
    'UPDATE branches SET is_main = 0, updated_at = ? WHERE app_id = ? AND is_main = 1 AND id <> ?',
    [at, appId, branchId],
  );
  await updateColumns(q, 'branches', { id: branchId }, { is_main: true, updated_at: at });
}

export async function setBranchSha(q: Queryable, id: string, sha: string, at: string): Promise<void> {
  await updateColumns(q, 'branches', { id }, { commit_sha: sha, updated_at: at });
}

export async function deleteBranch(q: Queryable, id: string): Promise<void> {
  await q.run('DELETE FROM branches WHERE id = ?', [id]);
}
