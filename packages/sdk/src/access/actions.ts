// The one catalog of actions (F2): every action of the seed's tables, in the seed's words, with
// who may run it (level), when it is offered (states) and what it acts on. Where the seed gives
// no access level or state condition, the choice is ours and docs/access.md says why.
import type { AppState } from './app-state.js';

/**
 * The seed's "Access Level" column: "All", "Developer+", "Developer+ (env-type specific)", "Admin".
 * - all: any member (Viewer and up)
 * - developer+: Developer or higher, whatever the environment type
 * - developer+env: the project policy's role for the app's environment type
 * - admin: Admin only
 */
export const ACCESS_LEVELS = ['all', 'developer+', 'developer+env', 'admin'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

/** Where the action lives in the seed's screens. */
export const ACTION_SECTIONS = [
  'header',
  'application',
  'maintenance',
  'ssl',
  'dangerZone',
  'info',
  'configuration',
  'automation',
  'branches',
  'urls',
  'releases',
  'workflow',
  'runners',
  'backups',
  'restorations',
  'logger',
  'project',
] as const;
export type ActionSection = (typeof ACTION_SECTIONS)[number];

/** What the action acts on; the app's environment type and state are those of the target's app. */
export const ACTION_TARGETS = ['app', 'project', 'branch', 'url'] as const;
export type ActionTarget = (typeof ACTION_TARGETS)[number];

/** Conditions on the target itself (F2), checked after role and state. */
export const TARGET_RULES = ['notPrimaryUrl', 'notMainBranch', 'dockerOnly', 'needsSslProvider'] as const;
export type TargetRule = (typeof TARGET_RULES)[number];

export interface ActionDefinition {
  /** The SDK verb (camelCase). */
  readonly name: string;
  /** The seed's text for the button or menu item. */
  readonly label: string;
  readonly section: ActionSection;
  /** The seed's description where there is one. */
  readonly description: string;
  readonly level: AccessLevel;
  /** App states in which the action is offered; absent = every state (or not about an app). */
  readonly states?: readonly AppState[];
  /** True when the action is an operation run as a Temporal workflow. */
  readonly needsWorkflow: boolean;
  readonly targets: ActionTarget;
  readonly targetRule?: TargetRule;
  /** PRODUCT.md features this action implements. */
  readonly features: readonly string[];
}

// Named state sets so the rules read as reasons, not lists.
/** An instance may be running and answering (a failed or canceled redeploy keeps the previous release). */
const MAY_BE_SERVING = ['deploying', 'deployed', 'error', 'canceled'] as const satisfies readonly AppState[];
/** An instance may exist and no operation of the app's lifecycle is running. */
const SETTLED = ['deployed', 'error', 'canceled'] as const satisfies readonly AppState[];
/** The app's records may change: staged for the next operation; not once deletion started or the app is disabled. */
const EDITABLE = [
  'draft',
  'deploying',
  'deployed',
  'error',
  'canceled',
] as const satisfies readonly AppState[];

export const ACTIONS = [
  // Header Actions
  {
    name: 'open',
    label: 'Open',
    section: 'header',
    description: 'Launch the running Odoo instance in a new tab',
    level: 'all',
    states: MAY_BE_SERVING,
    needsWorkflow: false,
    targets: 'app',
    features: ['F2'],
  },
  {
    name: 'deploy',
    label: 'Deploy',
    section: 'header',
    description: 'Full deployment: build Docker image, configure, and start',
    level: 'developer+env',
    // deleted: Delete Instance keeps the app (config, branches, URLs) so it can be deployed again.
    states: ['draft', 'deployed', 'error', 'canceled', 'deleted'],
    needsWorkflow: true,
    targets: 'app',
    features: ['F3'],
  },
  {
    name: 'update',
    label: 'Update',
    section: 'header',
    description: 'Pull latest code from Git branch and restart',
    level: 'developer+env',
    states: SETTLED,
    needsWorkflow: true,
    targets: 'app',
    features: ['F4'],
  },
  {
    name: 'backup',
    label: 'Backup',
    section: 'header',
    description: 'Create a database and filestore backup on demand',
    level: 'developer+env',
    states: [...SETTLED, 'disabled'],
    needsWorkflow: true,
    targets: 'app',
    features: ['F5', 'F24'],
  },
  {
    name: 'retry',
    label: 'Retry',
    section: 'header',
    description: 'Retry failed operation (only shown when state is error or canceled)',
    level: 'developer+env',
    states: ['error', 'canceled'],
    needsWorkflow: true,
    targets: 'app',
    features: ['F6'],
  },
  // More Dropdown - Application Section
  {
    name: 'syncVariables',
    label: 'Sync Variables',
    section: 'application',
    description: 'Synchronize environment variables with the server',
    level: 'developer+',
    states: SETTLED,
    needsWorkflow: true,
    targets: 'app',
    features: ['F7'],
  },
  {
    name: 'syncServerBackups',
    label: 'Sync Server Backups',
    section: 'application',
    description: 'Sync backup records with server storage',
    level: 'developer+',
    states: [...SETTLED, 'deleted', 'disabled'],
    needsWorkflow: true,
    targets: 'app',
    features: ['F7', 'F24'],
  },
  {
    name: 'setupLogs',
    label: 'Setup Logs',
    section: 'application',
    description: 'Configure application logging',
    level: 'developer+',
    states: SETTLED,
    needsWorkflow: true,
    targets: 'app',
    features: ['F7'],
  },
  {
    name: 'restore',
    label: 'Restore',
    section: 'application',
    description: 'Initiate a restoration operation',
    level: 'developer+',
    states: SETTLED,
    needsWorkflow: true,
    targets: 'app',
    features: ['F8', 'F25'],
  },
  // More Dropdown - Maintenance Section
  {
    name: 'restart',
    label: 'Restart Service',
    section: 'maintenance',
    description: 'Restart the running service without rebuilding (only when deployed)',
    level: 'developer+',
    states: ['deployed'],
    needsWorkflow: true,
    targets: 'app',
    features: ['F9'],
  },
  {
    name: 'updateConfig',
    label: 'Update Config',
    section: 'maintenance',
    description: 'Push config changes without full redeploy (only when deployed, Docker method)',
    level: 'developer+',
    states: ['deployed'],
    needsWorkflow: true,
    targets: 'app',
    targetRule: 'dockerOnly',
    features: ['F10'],
  },
  {
    name: 'enableMaintenance',
    label: 'Enable Maintenance',
    section: 'maintenance',
    description: 'Put app into maintenance mode',
    level: 'developer+',
    states: SETTLED,
    needsWorkflow: true,
    targets: 'app',
    features: ['F11'],
  },
  {
    name: 'disableMaintenance',
    label: 'Disable Maintenance',
    section: 'maintenance',
    description: 'Take app out of maintenance mode',
    level: 'developer+',
    states: SETTLED,
    needsWorkflow: true,
    targets: 'app',
    features: ['F11'],
  },
  // More Dropdown - SSL Section
  {
    name: 'renewSsl',
    label: 'Renew SSL Certificate',
    section: 'ssl',
    description: 'Trigger SSL certificate renewal for this app',
    level: 'developer+',
    states: SETTLED,
    needsWorkflow: true,
    targets: 'app',
    features: ['F12'],
  },
  // More Dropdown - Danger Zone
  {
    name: 'deleteInstance',
    label: 'Delete Instance',
    section: 'dangerZone',
    description: 'Remove the deployed instance (when state is deploy or error)',
    level: 'admin',
    states: ['deployed', 'error'],
    needsWorkflow: true,
    targets: 'app',
    features: ['F13'],
  },
  {
    name: 'destroy',
    label: 'Destroy',
    section: 'dangerZone',
    description: 'Destroy the app completely (when state is draft, delete, or disabled)',
    level: 'admin',
    states: ['draft', 'deleted', 'disabled'],
    needsWorkflow: true,
    targets: 'app',
    features: ['F13'],
  },
  // Overview: Info tab (app record)
  {
    name: 'viewApp',
    label: 'Overview',
    section: 'info',
    description: 'App details across tabs (Info, Configs, URLs, Automation, Releases) plus the app history',
    level: 'all',
    needsWorkflow: false,
    targets: 'app',
    features: ['F1', 'F20', 'F22'],
  },
  {
    name: 'updateApp',
    label: 'Edit Info',
    section: 'info',
    description: 'Change the app name and deployment note',
    level: 'developer+env',
    states: EDITABLE,
    needsWorkflow: false,
    targets: 'app',
    features: ['F1'],
  },
  // Configs tab: Available Actions and fields
  {
    name: 'applyConfig',
    label: 'Apply Config',
    section: 'configuration',
    description: 'Stage configuration changes to be applied on the next deployment',
    level: 'developer+',
    states: EDITABLE,
    needsWorkflow: false,
    targets: 'app',
    features: ['F15', 'F16'],
  },
  {
    name: 'viewConfig',
    label: 'View Config',
    section: 'configuration',
    description: 'Preview the fully rendered odoo.conf for this app',
    level: 'developer+',
    needsWorkflow: false,
    targets: 'app',
    features: ['F16'],
  },
  {
    name: 'getAdminPassword',
    label: 'Get Password',
    section: 'configuration',
    description: 'Show the Odoo admin (master) password',
    level: 'developer+env',
    needsWorkflow: false,
    targets: 'app',
    features: ['F15'],
  },
  {
    name: 'regenerateAdminPassword',
    label: 'Regenerate Password',
    section: 'configuration',
    description: 'Generate a new Odoo admin (master) password, staged for the next deployment',
    level: 'developer+env',
    states: EDITABLE,
    needsWorkflow: false,
    targets: 'app',
    features: ['F15'],
  },
  // Automation tab (per app) and environment automation
  {
    name: 'updateAutomation',
    label: 'Automation Settings',
    section: 'automation',
    description:
      'Auto-install, Restrict Auto Update, auto backup schedule, deadline, addons, coverage, clean database',
    level: 'developer+env',
    states: EDITABLE,
    needsWorkflow: false,
    targets: 'app',
    features: ['F17'],
  },
  {
    name: 'updateEnvironmentAutomation',
    label: 'Environment Automation',
    section: 'automation',
    description: 'Auto-Update Apps, Auto-Deploy Apps, Auto-Delete Apps on Branch Removal',
    level: 'developer+env',
    needsWorkflow: false,
    targets: 'project',
    features: ['F18'],
  },
  // Branch table (Info tab)
  {
    name: 'addBranch',
    label: 'Add Branch',
    section: 'branches',
    description: 'Bind a Git branch to a project registry so the app tracks and deploys that branch',
    level: 'developer+env',
    states: EDITABLE,
    needsWorkflow: false,
    targets: 'branch',
    features: ['F20'],
  },
  {
    name: 'refreshSha',
    label: 'Refresh SHA',
    section: 'branches',
    description: 'Fetch latest commit SHA from Git',
    level: 'all',
    needsWorkflow: false,
    targets: 'branch',
    features: ['F20'],
  },
  {
    name: 'downloadAddons',
    label: 'Download Addons',
    section: 'branches',
    description: 'Download addon source files from the branch',
    level: 'developer+',
    needsWorkflow: false,
    targets: 'branch',
    features: ['F20'],
  },
  {
    name: 'deleteBranch',
    label: 'Delete',
    section: 'branches',
    description: 'Remove branch connection (non-main branches only)',
    level: 'developer+env',
    states: EDITABLE,
    needsWorkflow: false,
    targets: 'branch',
    targetRule: 'notMainBranch',
    features: ['F20'],
  },
  // URLs Tab Actions
  {
    name: 'addUrl',
    label: 'Add New URL',
    section: 'urls',
    description: 'Add a new URL/domain entry',
    level: 'developer+env',
    states: EDITABLE,
    needsWorkflow: true,
    targets: 'url',
    features: ['F22'],
  },
  {
    name: 'deploySslCertificates',
    label: 'Deploy SSL Certificates',
    section: 'urls',
    description: 'Deploy SSL certs for all URLs (if SSL provider set)',
    level: 'developer+',
    states: SETTLED,
    needsWorkflow: true,
    targets: 'app',
    targetRule: 'needsSslProvider',
    features: ['F23'],
  },
  {
    name: 'checkSsl',
    label: 'Check SSL',
    section: 'urls',
    description: 'Check SSL certificate status per URL',
    level: 'all',
    needsWorkflow: false,
    targets: 'url',
    features: ['F23'],
  },
  {
    name: 'downloadCertificate',
    label: 'Download from Storage',
    section: 'urls',
    description: 'Download SSL cert from storage',
    level: 'developer+env',
    needsWorkflow: false,
    targets: 'url',
    features: ['F23'],
  },
  {
    name: 'uploadCertificate',
    label: 'Upload to Storage',
    section: 'urls',
    description: 'Upload SSL cert to storage',
    level: 'developer+env',
    states: EDITABLE,
    needsWorkflow: false,
    targets: 'url',
    features: ['F23'],
  },
  {
    name: 'renewUrlSsl',
    label: 'Renew SSL',
    section: 'urls',
    description: 'Renew certificate for a specific URL',
    level: 'developer+',
    states: SETTLED,
    needsWorkflow: true,
    targets: 'url',
    features: ['F12', 'F23'],
  },
  {
    name: 'deleteUrl',
    label: 'Delete URL',
    section: 'urls',
    description: 'Remove URL entry (disabled for primary URL)',
    level: 'developer+env',
    states: EDITABLE,
    needsWorkflow: true,
    targets: 'url',
    targetRule: 'notPrimaryUrl',
    features: ['F22'],
  },
  // Releases tab
  {
    name: 'viewReleases',
    label: 'Release Manager',
    section: 'releases',
    description: 'Browse the current and previous releases with their build fingerprints',
    level: 'all',
    needsWorkflow: false,
    targets: 'app',
    features: ['F14'],
  },
  {
    name: 'rollback',
    label: 'Switch or Roll Back',
    section: 'releases',
    description: 'Switch or roll back to an earlier release: redeploy that exact build without rebuilding',
    level: 'developer+env',
    states: SETTLED,
    needsWorkflow: true,
    targets: 'app',
    features: ['F14'],
  },
  // Workflow, Runners, Backups, Restorations, Logger (sidebar)
  {
    name: 'viewRuns',
    label: 'Workflow History',
    section: 'workflow',
    description: 'Time filter, Refresh, Status filter, Expand entry (full logs) and live progress',
    level: 'all',
    needsWorkflow: false,
    targets: 'app',
    features: ['F26', 'F27'],
  },
  {
    name: 'viewRunners',
    label: 'Runners',
    section: 'runners',
    description: 'Runner executions for this app',
    level: 'all',
    needsWorkflow: false,
    targets: 'app',
    features: ['F28'],
  },
  {
    name: 'viewBackups',
    label: 'Backups',
    section: 'backups',
    description: 'Backup history',
    level: 'all',
    needsWorkflow: false,
    targets: 'app',
    features: ['F24'],
  },
  {
    name: 'viewRestorations',
    label: 'Restorations',
    section: 'restorations',
    description: 'Restoration history',
    level: 'all',
    needsWorkflow: false,
    targets: 'app',
    features: ['F25'],
  },
  {
    name: 'viewLogs',
    label: 'Logger',
    section: 'logger',
    description: 'Live application log viewer',
    level: 'developer+env',
    needsWorkflow: false,
    targets: 'app',
    features: ['F29'],
  },
  // Project administration
  {
    name: 'viewProject',
    label: 'View Project',
    section: 'project',
    description: 'See the project, its environments, servers, apps and members',
    level: 'all',
    needsWorkflow: false,
    targets: 'project',
    features: ['F30'],
  },
  {
    name: 'createApp',
    label: 'Create App',
    section: 'project',
    description: 'Create an app in an environment (its type decides the role needed)',
    level: 'developer+env',
    needsWorkflow: false,
    targets: 'project',
    features: ['F1'],
  },
  {
    name: 'manageMembers',
    label: 'Manage Members',
    section: 'project',
    description: "Add and remove members and change their roles, and the project's access policy",
    level: 'admin',
    needsWorkflow: false,
    targets: 'project',
    features: ['F30'],
  },
  {
    name: 'manageEnvironments',
    label: 'Manage Environments',
    section: 'project',
    description: 'Create, rename and delete environments',
    level: 'admin',
    needsWorkflow: false,
    targets: 'project',
    features: ['F18'],
  },
  {
    name: 'manageServers',
    label: 'Manage Servers',
    section: 'project',
    description: 'Add, change and remove servers',
    level: 'admin',
    needsWorkflow: false,
    targets: 'project',
    features: ['F30'],
  },
  {
    name: 'manageProjects',
    label: 'Manage Projects',
    section: 'project',
    description: 'Create, rename and delete projects',
    level: 'admin',
    needsWorkflow: false,
    targets: 'project',
    features: ['F30'],
  },
  {
    name: 'manageGitIntegration',
    label: 'GitHub App Connection',
    section: 'project',
    description: 'Install the GitHub App and choose the repositories (project registries)',
    level: 'admin',
    needsWorkflow: false,
    targets: 'project',
    features: ['F19'],
  },
] as const satisfies readonly ActionDefinition[];

export type ActionName = (typeof ACTIONS)[number]['name'];

export const ACTION_NAMES: readonly ActionName[] = ACTIONS.map((action) => action.name);

const BY_NAME: ReadonlyMap<string, ActionDefinition> = new Map(
  ACTIONS.map((action) => [action.name, action]),
);

export function isActionName(value: unknown): value is ActionName {
  return typeof value === 'string' && BY_NAME.has(value);
}

export function getAction(name: ActionName): ActionDefinition {
  const action = BY_NAME.get(name);
  // Reached only from untyped callers (e.g. a CLI argument that skipped validation).
  if (!action)
    throw new TypeError(`Unknown action "${String(name)}"; expected one of ${ACTION_NAMES.join(', ')}`);
  return action;
}
