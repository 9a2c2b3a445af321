// Every public method of the client, by "namespace.method": what its arguments are (for the
// fuzz test) and a call with valid arguments (for the access test). Tests check that this list
// and the client agree, so a new method cannot escape them.
import type { CloudWadyClient } from '@cloudwady/sdk';
import type { World } from './world.js';

export type ArgKind =
  | 'project'
  | 'environment'
  | 'server'
  | 'app'
  | 'branch'
  | 'url'
  | 'release'
  | 'backup'
  | 'restoration'
  | 'input'
  | 'optionalInput'
  | 'sha'
  | 'which';

export const NAMESPACES = [
  'projects',
  'environments',
  'servers',
  'apps',
  'branches',
  'urls',
  'releases',
  'backups',
  'restorations',
  'members',
  'access',
  'runs',
  'engine',
] as const;

/** Arguments of every method; a method with no arguments has []. */
export const METHOD_ARGS: Record<string, ArgKind[]> = {
  'projects.create': ['input'],
  'projects.get': ['project'],
  'projects.list': [],
  'projects.update': ['project', 'input'],
  'environments.create': ['input'],
  'environments.get': ['environment'],
  'environments.list': ['project'],
  'environments.update': ['environment', 'input'],
  'environments.delete': ['environment'],
  'servers.create': ['input'],
  'servers.get': ['server'],
  'servers.list': ['project'],
  'servers.update': ['server', 'input'],
  'servers.delete': ['server'],
  'apps.create': ['input'],
  'apps.get': ['app'],
  'apps.list': ['input'],
  'apps.edit': ['app', 'input'],
  'apps.availableActions': ['app'],
  'apps.open': ['app'],
  'apps.getConfig': ['app'],
  'apps.applyConfig': ['app', 'input'],
  'apps.discardStagedConfig': ['app'],
  'apps.viewConfig': ['app', 'optionalInput'],
  'apps.getAdminPassword': ['app'],
  'apps.regenerateAdminPassword': ['app'],
  'apps.getAutomation': ['app'],
  'apps.updateAutomation': ['app', 'input'],
  'apps.deploy': ['app'],
  'apps.update': ['app'],
  'apps.backup': ['app', 'optionalInput'],
  'apps.retry': ['app'],
  'apps.restore': ['app', 'input'],
  'apps.restart': ['app'],
  'apps.updateConfig': ['app'],
  'apps.enableMaintenance': ['app'],
  'apps.disableMaintenance': ['app'],
  'apps.renewSsl': ['app'],
  'apps.deleteInstance': ['app'],
  'apps.syncVariables': ['app'],
  'apps.syncServerBackups': ['app'],
  'apps.setupLogs': ['app'],
  'apps.deploySslCertificates': ['app'],
  'apps.rollback': ['app', 'input'],
  'apps.destroy': ['app'],
  'branches.list': ['app'],
  'branches.get': ['branch'],
  'branches.add': ['app', 'input'],
  'branches.setMain': ['branch'],
  'branches.delete': ['branch'],
  'branches.refreshSha': ['branch'],
  'branches.downloadAddons': ['branch'],
  'urls.list': ['app'],
  'urls.get': ['url'],
  'urls.add': ['app', 'input'],
  'urls.setPrimary': ['url'],
  'urls.edit': ['url', 'input'],
  'urls.delete': ['url'],
  'urls.checkSsl': ['url'],
  'urls.renewSsl': ['url'],
  'urls.downloadCertificate': ['url'],
  'urls.uploadCertificate': ['url'],
  'releases.list': ['app'],
  'releases.get': ['release'],
  'releases.current': ['app'],
  'backups.list': ['app'],
  'backups.get': ['backup'],
  'restorations.list': ['app'],
  'restorations.get': ['restoration'],
  'members.list': ['project'],
  'members.add': ['input'],
  'members.setRole': ['input'],
  'members.remove': ['input'],
  'access.check': ['input'],
  'access.role': ['project'],
  'access.policy': ['project'],
  'runs.list': ['input'],
  'runs.get': ['input'],
  'runs.result': ['input'],
  'runs.cancel': ['input'],
  'runs.watch': ['input'],
  'engine.loadDeployment': ['app'],
  'engine.adminPassword': ['app', 'which'],
  'engine.serverPrivateKey': ['server'],
  'engine.transitionApp': ['app', 'input'],
  'engine.promoteStagedConfig': ['app'],
  'engine.recordRelease': ['input'],
  'engine.setCurrentRelease': ['app', 'release'],
  'engine.release': ['app', 'release'],
  'engine.setBranchSha': ['branch', 'sha'],
  'engine.recordBackup': ['input'],
  'engine.updateBackup': ['backup', 'input'],
  'engine.recordRestoration': ['input'],
  'engine.updateRestoration': ['restoration', 'input'],
  'engine.removeApp': ['app'],
};

/** "namespace.method" of every function on the client's namespaces. */
export function clientMethods(client: CloudWadyClient): string[] {
  return NAMESPACES.flatMap((ns) =>
    Object.entries(client[ns])
      .filter(([, value]) => typeof value === 'function')
      .map(([name]) => `${ns}.${name}`),
  );
}

export function callMethod(client: CloudWadyClient, method: string, args: unknown[]): Promise<unknown> {
  const [ns, name] = method.split('.') as [(typeof NAMESPACES)[number], string];
  const fn = (client[ns] as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[name];
  if (!fn) throw new Error(`no method ${method}`);
  const result: unknown = fn(...args);
  // A stream (runs.watch) does its checks when first read: read one event.
  if (result && typeof (result as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    return (result as AsyncIterator<unknown>).next();
  }
  return result as Promise<unknown>;
}

/** Records the access test needs besides the world's: a non-main branch, a non-primary URL, releases, a backup. */
export interface Extras {
  branchId: string;
  mainBranchId: string;
  urlId: string;
  primaryUrlId: string;
  releaseId: string;
  backupId: string;
  restorationId: string;
}

/** Valid arguments for every method an actor acts through (the engine is not one). */
export function validArgs(w: World, x: Extras): Record<string, unknown[]> {
  const app = w.app.production.id;
  const project = w.project.id;
  return {
    'projects.create': [{ name: 'Side project', repositoryUrl: 'https://git.test/side.git' }],
    'projects.get': [project],
    'projects.list': [],
    'projects.update': [project, { name: 'Renamed' }],
    'environments.create': [{ projectId: project, type: 'development', name: 'dev-2' }],
    'environments.get': [w.env.production.id],
    'environments.list': [project],
    'environments.update': [w.env.production.id, { autoUpdate: true }],
    'environments.delete': [w.env.production.id],
    'servers.create': [
      {
        projectId: project,
        name: 'server-3',
        ssh: { host: 'h.test', username: 'u', privateKey: w.privateKey },
      },
    ],
    'servers.get': [w.server.id],
    'servers.list': [project],
    'servers.update': [w.server.id, { name: 'renamed' }],
    'servers.delete': [w.server2.id],
    'apps.create': [
      { environmentId: w.env.production.id, serverId: w.server.id, name: 'new app', odooVersion: '18.0' },
    ],
    'apps.get': [app],
    'apps.list': [{ projectId: project }],
    'apps.edit': [app, { deploymentNote: 'x' }],
    'apps.availableActions': [app],
    'apps.open': [app],
    'apps.getConfig': [app],
    'apps.applyConfig': [app, { workers: 3 }],
    'apps.discardStagedConfig': [app],
    'apps.viewConfig': [app],
    'apps.getAdminPassword': [app],
    'apps.regenerateAdminPassword': [app],
    'apps.getAutomation': [app],
    'apps.updateAutomation': [app, { coverage: true }],
    'apps.deploy': [app],
    'apps.update': [app],
    'apps.backup': [app],
    'apps.retry': [app],
    'apps.restore': [app, { backupId: x.backupId }],
    'apps.restart': [app],
    'apps.updateConfig': [app],
    'apps.enableMaintenance': [app],
    'apps.disableMaintenance': [app],
    'apps.renewSsl': [app],
    'apps.deleteInstance': [app],
    'apps.syncVariables': [app],
    'apps.syncServerBackups': [app],
    'apps.setupLogs': [app],
    'apps.deploySslCertificates': [app],
    'apps.rollback': [app, { releaseId: x.releaseId }],
    'apps.destroy': [app],
    'branches.list': [app],
    'branches.get': [x.branchId],
    'branches.add': [app, { name: 'hotfix' }],
    'branches.setMain': [x.branchId],
    'branches.delete': [x.branchId],
    'branches.refreshSha': [x.branchId],
    'branches.downloadAddons': [x.branchId],
    'urls.list': [app],
    'urls.get': [x.urlId],
    'urls.add': [app, { domain: 'another.shop.test' }],
    'urls.setPrimary': [x.urlId],
    'urls.edit': [x.urlId, { sslProvider: 'custom' }],
    'urls.delete': [x.urlId],
    'urls.checkSsl': [x.urlId],
    'urls.renewSsl': [x.urlId],
    'urls.downloadCertificate': [x.urlId],
    'urls.uploadCertificate': [x.urlId],
    'releases.list': [app],
    'releases.get': [x.releaseId],
    'releases.current': [app],
    'backups.list': [app],
    'backups.get': [x.backupId],
    'restorations.list': [app],
    'restorations.get': [x.restorationId],
    'members.list': [project],
    'members.add': [{ projectId: project, userId: 'newcomer', role: 'viewer' }],
    'members.setRole': [{ projectId: project, userId: w.as.developer.actor?.userId, role: 'maintainer' }],
    'members.remove': [{ projectId: project, userId: w.as.developer.actor?.userId }],
    'access.check': [{ action: 'deploy', appId: app }],
    'access.role': [project],
    'access.policy': [project],
    'runs.list': [{ appId: app }],
    'runs.get': [{ appId: app, workflowId: `${app}-1` }],
    'runs.result': [{ appId: app, workflowId: `${app}-1` }],
    'runs.cancel': [{ appId: app, workflowId: `${app}-1` }],
    'runs.watch': [{ appId: app, workflowId: `${app}-1` }],
  };
}
