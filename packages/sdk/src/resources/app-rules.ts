// Rules about apps shared by several namespaces: unique names, database names per server,
// domains across the platform, and the production-only deadline rule.
import type { EnvironmentType } from '../access/index.js';
import { ConflictError, ValidationError } from '../errors.js';
import { findAppByName } from '../repositories/apps.js';
import { findUrlByDomain } from '../repositories/urls.js';
import { type AutomationSettings, DEADLINE_PRODUCTION_ONLY } from '../schemas/automation.js';
import { DATABASE_NAME_PATTERN } from '../schemas/config.js';
import type { Queryable } from '../store/driver.js';

/** A database name made from an app name ("My Shop" -> "my_shop"). */
export function databaseNameFor(appName: string): string {
  const slug = appName
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '_')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 63);
  return DATABASE_NAME_PATTERN.test(slug) ? slug : 'odoo';
}

export async function checkAppNameFree(q: Queryable, projectId: string, name: string, exceptId?: string) {
  const existing = await findAppByName(q, projectId, name);
  if (existing && existing.id !== exceptId) {
    throw new ConflictError(`The project already has an app named "${name}": choose another name.`, {
      appId: existing.id,
    });
  }
}

/** Two apps of one server may not share a database (each app's dbfilter selects exactly its own). */
export async function checkDatabaseFree(
  q: Queryable,
  serverId: string,
  databaseName: string,
  exceptAppId?: string,
) {
  const rows = await q.all('SELECT id FROM apps WHERE server_id = ? AND database_name = ?', [
    serverId,
    databaseName,
  ]);
  const other = rows.find((row) => row.id !== exceptAppId);
  if (other) {
    throw new ConflictError(
      `Database "${databaseName}" is already used by app ${String(other.id)} on the same server: choose another databaseName.`,
      { appId: String(other.id), databaseName },
    );
  }
}

export async function checkDomainFree(q: Queryable, domain: string) {
  const existing = await findUrlByDomain(q, domain);
  if (existing) {
    throw new ConflictError(
      `The domain ${domain} is already used by app ${existing.appId}: each domain belongs to one app.`,
      {
        domain,
        appId: existing.appId,
      },
    );
  }
}

export function checkDeadline(
  environmentType: EnvironmentType,
  automation: AutomationSettings,
  path: PropertyKey[],
) {
  if (environmentType === 'production' && automation.deadline !== null) {
    throw ValidationError.forField([...path, 'deadline'], DEADLINE_PRODUCTION_ONLY);
  }
}
