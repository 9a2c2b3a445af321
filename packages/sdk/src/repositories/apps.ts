import type { AppState, EnvironmentType } from '../access/index.js';
import type { App, Edition, OdooVersion } from '../schemas/apps.js';
import type { AutomationSettings } from '../schemas/automation.js';
import type { AppConfig, AppConfigState } from '../schemas/config.js';
import { insertRow, json, type Queryable, type Row, str, strOrNull, updateColumns } from './sql.js';

// Records never carry the sealed admin passwords; `findAdminPasswords` reads them alone.
const SELECT_APP = `SELECT a.id, a.project_id, a.environment_id, e.type AS environment_type, a.server_id, a.name,
  a.odoo_version, a.engine, a.edition, a.state, a.deployment_note, a.database_name, u.domain AS primary_url,
  a.created_by, a.created_at, a.updated_at
  FROM apps a
  JOIN environments e ON e.id = a.environment_id
  LEFT JOIN urls u ON u.app_id = a.id AND u.is_primary = 1`;

function toApp(row: Row): App {
  return {
    id: str(row.id),
    projectId: str(row.project_id),
    environmentId: str(row.environment_id),
    environmentType: str(row.environment_type) as EnvironmentType,
    serverId: str(row.server_id),
    name: str(row.name),
    odooVersion: str(row.odoo_version) as OdooVersion,
    engine: 'docker',
    edition: str(row.edition) as Edition,
    state: str(row.state) as AppState,
    deploymentNote: str(row.deployment_note),
    databaseName: str(row.database_name),
    primaryUrl: strOrNull(row.primary_url),
    createdBy: str(row.created_by),
    createdAt: str(row.created_at),
    updatedAt: str(row.updated_at),
  };
}

export async function findApp(q: Queryable, id: string): Promise<App | undefined> {
  const row = await q.get(`${SELECT_APP} WHERE a.id = ?`, [id]);
  return row && toApp(row);
}

export async function findAppByName(q: Queryable, projectId: string, name: string): Promise<App | undefined> {
  const row = await q.get(`${SELECT_APP} WHERE a.project_id = ? AND a.name = ?`, [projectId, name]);
  return row && toApp(row);
}

export async function listApps(
  q: Queryable,
  filter: { projectId: string; environmentId?: string; serverId?: string },
): Promise<App[]> {
  const conditions = ['a.project_id = ?'];
  const params: string[] = [filter.projectId];
  if (filter.environmentId) {
    conditions.push('a.environment_id = ?');
    params.push(filter.environmentId);
  }
  if (filter.serverId) {
    conditions.push('a.server_id = ?');
    params.push(filter.serverId);
  }
  const rows = await q.all(
    `${SELECT_APP} WHERE ${conditions.join(' AND ')} ORDER BY a.created_at, a.id`,
    params,
  );
  return rows.map(toApp);
}

export async function countAppsWhere(q: Queryable, column: 'environment_id' | 'server_id', id: string) {
  return (await q.all(`SELECT id FROM apps WHERE ${column} = ?`, [id])).length;
}

export interface NewApp {
  app: Omit<App, 'environmentType' | 'primaryUrl'>;
  sealedAdminPassword: string;
  automation: AutomationSettings;
  config: AppConfig;
}

export async function insertApp(q: Queryable, { app, sealedAdminPassword, automation, config }: NewApp) {
  await insertRow(q, 'apps', {
    id: app.id,
    project_id: app.projectId,
    environment_id: app.environmentId,
    server_id: app.serverId,
    name: app.name,
    odoo_version: app.odooVersion,
    engine: app.engine,
    edition: app.edition,
    state: app.state,
    deployment_note: app.deploymentNote,
    database_name: app.databaseName,
    admin_password: sealedAdminPassword,
    admin_password_staged: null,
    automation: JSON.stringify(automation),
    created_by: app.createdBy,
    created_at: app.createdAt,
    updated_at: app.updatedAt,
  });
  await insertRow(q, 'app_configs', {
    app_id: app.id,
    applied: JSON.stringify(config),
    applied_at: app.createdAt,
    staged: null,
    staged_by: null,
    staged_at: null,
  });
}

export async function updateApp(
  q: Queryable,
  id: string,
  fields: { name?: string; deploymentNote?: string; databaseName?: string; updatedAt: string },
) {
  await updateColumns(
    q,
    'apps',
    { id },
    {
      name: fields.name,
      deployment_note: fields.deploymentNote,
      database_name: fields.databaseName,
      updated_at: fields.updatedAt,
    },
  );
}

/** Compare-and-set: changes the state only if it still is `from`; returns whether it did. */
export async function setAppState(q: Queryable, id: string, from: AppState, to: AppState, updatedAt: string) {
  return (await updateColumns(q, 'apps', { id, state: from }, { state: to, updated_at: updatedAt })) === 1;
}

export async function deleteApp(q: Queryable, id: string): Promise<void> {
  await q.run('DELETE FROM apps WHERE id = ?', [id]);
}

export async function findAutomation(q: Queryable, appId: string): Promise<AutomationSettings | undefined> {
  const row = await q.get('SELECT automation FROM apps WHERE id = ?', [appId]);
  return row && json<AutomationSettings>(row.automation);
}

export async function saveAutomation(
  q: Queryable,
  appId: string,
  automation: AutomationSettings,
  updatedAt: string,
) {
  await updateColumns(
    q,
    'apps',
    { id: appId },
    { automation: JSON.stringify(automation), updated_at: updatedAt },
  );
}

export async function findConfigState(q: Queryable, appId: string): Promise<AppConfigState | undefined> {
  const row = await q.get(
    `SELECT c.applied, c.applied_at, c.staged, c.staged_by, c.staged_at, a.admin_password_staged
     FROM app_configs c JOIN apps a ON a.id = c.app_id WHERE c.app_id = ?`,
    [appId],
  );
  if (!row) return undefined;
  return {
    appId,
    applied: json<AppConfig>(row.applied),
    appliedAt: str(row.applied_at),
    staged: row.staged == null ? null : json<AppConfig>(row.staged),
    stagedAt: strOrNull(row.staged_at),
    stagedBy: strOrNull(row.staged_by),
    adminPasswordStaged: row.admin_password_staged != null,
  };
}

export async function stageConfig(q: Queryable, appId: string, config: AppConfig, by: string, at: string) {
  await updateColumns(
    q,
    'app_configs',
    { app_id: appId },
    { staged: JSON.stringify(config), staged_by: by, staged_at: at },
  );
}

export async function clearStagedConfig(q: Queryable, appId: string) {
  await q.run('UPDATE app_configs SET staged = NULL, staged_by = NULL, staged_at = NULL WHERE app_id = ?', [
    appId,
  ]);
  await q.run('UPDATE apps SET admin_password_staged = NULL WHERE id = ?', [appId]);
}

export async function applyConfigRow(q: Queryable, appId: string, config: AppConfig, at: string) {
  await q.run(
    'UPDATE app_configs SET applied = ?, applied_at = ?, staged = NULL, staged_by = NULL, staged_at = NULL WHERE app_id = ?',
    [JSON.stringify(config), at, appId],
  );
}

export async function findAdminPasswords(
  q: Queryable,
  appId: string,
): Promise<{ applied: string; staged: string | null } | undefined> {
  const row = await q.get('SELECT admin_password, admin_password_staged FROM apps WHERE id = ?', [appId]);
  return row && { applied: str(row.admin_password), staged: strOrNull(row.admin_password_staged) };
}

export async function stageAdminPassword(q: Queryable, appId: string, sealed: string, at: string) {
  await updateColumns(q, 'apps', { id: appId }, { admin_password_staged: sealed, updated_at: at });
}

export async function promoteAdminPassword(q: Queryable, appId: string) {
  await q.run(
    'UPDATE apps SET admin_password = admin_password_staged, admin_password_staged = NULL WHERE id = ? AND admin_password_staged IS NOT NULL',
    [appId],
  );
}
