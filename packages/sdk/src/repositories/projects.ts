import type { AccessPolicy, Role } from '../access/index.js';
import type { Project } from '../schemas/projects.js';
import { insertRow, json, type Queryable, type Row, str, updateColumns } from './sql.js';

const PROJECT_COLUMNS = 'id, name, repository_url, access_policy, created_by, created_at, updated_at';

function toProject(row: Row): Project {
  return {
    id: str(row.id),
    name: str(row.name),
    repositoryUrl: str(row.repository_url),
    accessPolicy: row.access_policy == null ? null : json<AccessPolicy>(row.access_policy),
    createdBy: str(row.created_by),
    createdAt: str(row.created_at),
    updatedAt: str(row.updated_at),
  };
}

export async function findProject(q: Queryable, id: string): Promise<Project | undefined> {
  const row = await q.get(`SELECT ${PROJECT_COLUMNS} FROM projects WHERE id = ?`, [id]);
  return row && toProject(row);
}

export async function listProjectsOfUser(q: Queryable, userId: string): Promise<Project[]> {
  const rows = await q.all(
    `SELECT ${PROJECT_COLUMNS.split(', ')
      .map((c) => `p.${c}`)
      .join(
        ', ',
      )} FROM projects p JOIN members m ON m.project_id = p.id WHERE m.user_id = ? ORDER BY p.created_at, p.id`,
    [userId],
  );
  return rows.map(toProject);
}

export async function insertProject(q: Queryable, project: Project): Promise<void> {
  await insertRow(q, 'projects', {
    id: project.id,
    name: project.name,
    repository_url: project.repositoryUrl,
    access_policy: project.accessPolicy === null ? null : JSON.stringify(project.accessPolicy),
    created_by: project.createdBy,
    created_at: project.createdAt,
    updated_at: project.updatedAt,
  });
}

export async function updateProject(
  q: Queryable,
  id: string,
  fields: { name?: string; repositoryUrl?: string; accessPolicy?: AccessPolicy | null; updatedAt: string },
): Promise<void> {
  await updateColumns(
    q,
    'projects',
    { id },
    {
      name: fields.name,
      repository_url: fields.repositoryUrl,
      access_policy:
        fields.accessPolicy === undefined
          ? undefined
          : fields.accessPolicy && JSON.stringify(fields.accessPolicy),
      updated_at: fields.updatedAt,
    },
  );
}

/** The actor's role in a project and the project's own policy; undefined when the project does not exist. */
export async function findAccess(
  q: Queryable,
  projectId: string,
  userId: string,
): Promise<{ role: Role | null; accessPolicy: AccessPolicy | null } | undefined> {
  const row = await q.get(
    'SELECT m.role AS role, p.access_policy AS access_policy FROM projects p LEFT JOIN members m ON m.project_id = p.id AND m.user_id = ? WHERE p.id = ?',
    [userId, projectId],
  );
  if (!row) return undefined;
  return {
    role: row.role == null ? null : (str(row.role) as Role),
    accessPolicy: row.access_policy == null ? null : json<AccessPolicy>(row.access_policy),
  };
}
