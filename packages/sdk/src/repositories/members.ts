import type { Role } from '../access/index.js';
import type { Member } from '../schemas/members.js';
import { insertRow, type Queryable, type Row, str, strOrNull, updateColumns } from './sql.js';

const MEMBER_COLUMNS = 'project_id, user_id, name, role, added_by, created_at, updated_at';

function toMember(row: Row): Member {
  return {
    projectId: str(row.project_id),
    userId: str(row.user_id),
    name: strOrNull(row.name),
    role: str(row.role) as Role,
    addedBy: str(row.added_by),
    createdAt: str(row.created_at),
    updatedAt: str(row.updated_at),
  };
}

export async function findMember(
  q: Queryable,
  projectId: string,
  userId: string,
): Promise<Member | undefined> {
  const row = await q.get(`SELECT ${MEMBER_COLUMNS} FROM members WHERE project_id = ? AND user_id = ?`, [
    projectId,
    userId,
  ]);
  return row && toMember(row);
}

export async function listMembers(q: Queryable, projectId: string): Promise<Member[]> {
  const rows = await q.all(
    `SELECT ${MEMBER_COLUMNS} FROM members WHERE project_id = ? ORDER BY created_at, user_id`,
    [projectId],
  );
  return rows.map(toMember);
}

export async function insertMember(q: Queryable, member: Member): Promise<void> {
  await insertRow(q, 'members', {
    project_id: member.projectId,
    user_id: member.userId,
    name: member.name,
    role: member.role,
    added_by: member.addedBy,
    created_at: member.createdAt,
    updated_at: member.updatedAt,
  });
}

export async function setMemberRole(
  q: Queryable,
  projectId: string,
  userId: string,
  role: Role,
  updatedAt: string,
) {
  await updateColumns(
    q,
    'members',
    { project_id: projectId, user_id: userId },
    { role, updated_at: updatedAt },
  );
}

export async function deleteMember(q: Queryable, projectId: string, userId: string): Promise<void> {
  await q.run('DELETE FROM members WHERE project_id = ? AND user_id = ?', [projectId, userId]);
}

export async function countAdmins(q: Queryable, projectId: string): Promise<number> {
  const rows = await q.all("SELECT user_id FROM members WHERE project_id = ? AND role = 'admin'", [
    projectId,
  ]);
  return rows.length;
}
