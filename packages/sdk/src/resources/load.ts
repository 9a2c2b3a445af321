// Loading records by id for the resources: each returns the record or throws NotFoundError.
import type { TargetFacts } from '../access/index.js';
import { type AccessScope, found } from '../context.js';
import { findApp } from '../repositories/apps.js';
import { findBackup } from '../repositories/backups.js';
import { findBranch } from '../repositories/branches.js';
import { findEnvironment } from '../repositories/environments.js';
import { findProject } from '../repositories/projects.js';
import { findRelease } from '../repositories/releases.js';
import { findRestoration } from '../repositories/restorations.js';
import { findServer } from '../repositories/servers.js';
import { findUrl } from '../repositories/urls.js';
import type { App } from '../schemas/apps.js';
import type { Queryable } from '../store/driver.js';

export const loadProject = async (q: Queryable, id: string) => found(await findProject(q, id), 'project', id);
export const loadEnvironment = async (q: Queryable, id: string) =>
  found(await findEnvironment(q, id), 'environment', id);
export const loadServer = async (q: Queryable, id: string) => found(await findServer(q, id), 'server', id);
export const loadApp = async (q: Queryable, id: string) => found(await findApp(q, id), 'app', id);
export const loadBranch = async (q: Queryable, id: string) => found(await findBranch(q, id), 'branch', id);
export const loadUrl = async (q: Queryable, id: string) => found(await findUrl(q, id), 'URL', id);
export const loadRelease = async (q: Queryable, id: string) => found(await findRelease(q, id), 'release', id);
export const loadBackup = async (q: Queryable, id: string) => found(await findBackup(q, id), 'backup', id);
export const loadRestoration = async (q: Queryable, id: string) =>
  found(await findRestoration(q, id), 'restoration', id);

/** The access scope of an action on an app (its project, environment type, state and engine). */
export function appScope(app: App, target: TargetFacts = {}): AccessScope {
  return {
    projectId: app.projectId,
    environmentType: app.environmentType,
    appState: app.state,
    target: { engine: app.engine, ...target },
  };
}
