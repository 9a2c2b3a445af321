import type { EnvironmentType } from '../access/index.js';
import type { Environment } from '../schemas/environments.js';
import { bool, insertRow, type Queryable, type Row, str, updateColumns } from './sql.js';

const COLUMNS = 'id, project_id, name, type, auto_update, auto_deploy, auto_delete, created_at, updated_at';

function toEnvironment(row: Row): Environment {
  return {
    id: str(row.id),
    projectId: str(row.project_id),
    name: str(row.name),
    type: str(row.type) as EnvironmentType,
    autoUpdate: bool(row.auto_update),
    autoDeploy: bool(row.auto_deploy),
    autoDelete: bool(row.auto_delete),
    createdAt: str(row.created_at),
    updatedAt: str(row.updated_at),
  };
}

export async function findEnvironment(q: Queryable, id: string): Promise<Environment | undefined> {
  const row = await q.get(`SELECT ${COLUMNS} FROM environments WHERE id = ?`, [id]);
  return row && toEnvironment(row);
}

export async function findEnvironmentByName(
  q: Queryable,
  projectId: string,
  name: string,
): Promise<Environment | undefined> {
  const row = await q.get(`SELECT ${COLUMNS} FROM environments WHERE project_id = ? AND name = ?`, [
    projectId,
    name,
  ]);
  return row && toEnvironment(row);
}

export async function listEnvironments(q: Queryable, projectId: string): Promise<Environment[]> {
  const rows = await q.all(
    `SELECT ${COLUMNS} FROM environments WHERE project_id = ? ORDER BY created_at, id`,
    [projectId],
  );
  return rows.map(toEnvironment);
}

export async function insertEnvironment(q: Queryable, env: Environment): Promise<void> {
  await insertRow(q, 'environments', {
    id: env.id,
    project_id: env.projectId,
    name: env.name,
    type: env.type,
    auto_update: env.autoUpdate,
    auto_deploy: env.autoDeploy,
    auto_delete: env.autoDelete,
    created_at: env.createdAt,
    updated_at: env.updatedAt,
  });
}

export async function updateEnvironment(
  q: Queryable,
  id: string,
  fields: {
    name?: string;
    autoUpdate?: boolean;
    autoDeploy?: boolean;
    autoDelete?: boolean;
    updatedAt: string;
  },
): Promise<void> {
  await updateColumns(
    q,
    'environments',
    { id },
    {
      name: fields.name,
      auto_update: fields.autoUpdate,
      auto_deploy: fields.autoDeploy,
      auto_delete: fields.autoDelete,
      updated_at: fields.updatedAt,
    },
  );
}

export async function deleteEnvironment(q: Queryable, id: string): Promise<void> {
  await q.run('DELETE FROM environments WHERE id = ?', [id]);
}
