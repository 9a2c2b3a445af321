// The catalog must agree with the seed. The seed's tables are copied below word for word (not
// imported from the catalog), the seed's state conditions are parsed from its own descriptions,
// and every action x role x environment type x app state is checked against them.
import { describe, expect, it } from 'vitest';
import {
  ACTION_NAMES,
  type ActionName,
  type AppState,
  type DecideInput,
  decide,
  type EnvironmentType,
  getAction,
  type Role,
  type TargetRule,
} from '../src/access/index.js';

// ---- The seed, copied: [Action, Description, Access Level] ----
const SEED_TABLES_WITH_LEVEL: Record<string, readonly (readonly [string, string, string])[]> = {
  'Header Actions': [
    ['Open', 'Launch the running Odoo instance in a new tab', 'All'],
    ['Deploy', 'Full deployment: build Docker image, configure, and start', 'Developer+ (env-type specific)'],
    ['Update', 'Pull latest code from Git branch and restart', 'Developer+ (env-type specific)'],
    ['Backup', 'Create a database and filestore backup on demand', 'Developer+ (env-type specific)'],
    [
      'Retry',
      'Retry failed operation (only shown when state is error or canceled)',
      'Developer+ (env-type specific)',
    ],
  ],
  'More Dropdown - Application Section': [
    ['Sync Variables', 'Synchronize environment variables with the server', 'Developer+'],
    ['Sync Server Backups', 'Sync backup records with server storage', 'Developer+'],
    ['Setup Logs', 'Configure application logging', 'Developer+'],
    ['Restore', 'Initiate a restoration operation', 'Developer+'],
  ],
  'More Dropdown - Maintenance Section': [
    ['Restart Service', 'Restart the running service without rebuilding (only when deployed)', 'Developer+'],
    [
      'Update Config',
      'Push config changes without full redeploy (only when deployed, Docker method)',
      'Developer+',
    ],
    ['Enable Maintenance', 'Put app into maintenance mode', 'Developer+'],
    ['Disable Maintenance', 'Take app out of maintenance mode', 'Developer+'],
  ],
  'More Dropdown - SSL Section': [
    ['Renew SSL Certificate', 'Trigger SSL certificate renewal for this app', 'Developer+'],
  ],
  'More Dropdown - Danger Zone': [
    ['Delete Instance', 'Remove the deployed instance (when state is deploy or error)', 'Admin'],
    ['Destroy', 'Destroy the app completely (when state is draft, delete, or disabled)', 'Admin'],
  ],
  'Configuration - Available Actions': [
    ['Apply Config', 'Stage configuration changes to be applied on the next deployment', 'Developer+'],
    ['View Config', 'Preview the fully rendered odoo.conf for this app', 'Developer+'],
  ],
  'Workflows & Deployment - Available Actions': [
    ['Time filter', 'Filter workflow history by time range', 'All'],
    ['Refresh', 'Reload workflow history', 'All'],
    ['Status filter', 'Filter by execution status (Pending, Running, etc.)', 'All'],
    ['Expand entry', 'View detailed execution output for a workflow run', 'All'],
  ],
};

// ---- The seed, copied: tables without an access level, [Action, Description] ----
const SEED_TABLES_WITHOUT_LEVEL: Record<string, readonly (readonly [string, string])[]> = {
  'Branch Actions': [
    ['Refresh SHA', 'Fetch latest commit SHA from Git'],
    ['Download Addons', 'Download addon source files from the branch'],
    ['Copy Branch Name', 'Copy branch name to clipboard'],
    ['Copy SHA', 'Copy the full commit SHA to clipboard'],
    ['Delete', 'Remove branch connection (non-main branches only)'],
  ],
  'URLs Tab Actions': [
    ['Add New URL', 'Add a new URL/domain entry'],
    ['Deploy SSL Certificates', 'Deploy SSL certs for all URLs (if SSL provider set)'],
    ['Check SSL', 'Check SSL certificate status per URL'],
    ['Download from Storage', 'Download SSL cert from storage'],
    ['Upload to Storage', 'Upload SSL cert to storage'],
    ['Renew SSL', 'Renew certificate for a specific URL'],
    ['Delete URL', 'Remove URL entry (disabled for primary URL)'],
  ],
};

// ---- The seed, copied: actions named in its prose (Info tab, Configuration Tab Fields, Releases tab) ----
const SEED_PROSE_ACTIONS: readonly (readonly [string, string])[] = [
  ['Add Branch', 'use Add Branch to bind a Git branch to a project registry'],
  ['Get Password', 'Admin password (with Get Password and Regenerate Password actions)'],
  ['Regenerate Password', 'Admin password (with Get Password and Regenerate Password actions)'],
  ['Switch or Roll Back', 'switch or roll back to any earlier release'],
];

// ---- Which SDK action each seed row is (null = clipboard only, no SDK action) ----
const SEED_ROW_ACTION: Record<string, ActionName | null> = {
  Open: 'open',
  Deploy: 'deploy',
  Update: 'update',
  Backup: 'backup',
  Retry: 'retry',
  'Sync Variables': 'syncVariables',
  'Sync Server Backups': 'syncServerBackups',
  'Setup Logs': 'setupLogs',
  Restore: 'restore',
  'Restart Service': 'restart',
  'Update Config': 'updateConfig',
  'Enable Maintenance': 'enableMaintenance',
  'Disable Maintenance': 'disableMaintenance',
  'Renew SSL Certificate': 'renewSsl',
  'Delete Instance': 'deleteInstance',
  Destroy: 'destroy',
  'Apply Config': 'applyConfig',
  'View Config': 'viewConfig',
  'Time filter': 'viewRuns',
  Refresh: 'viewRuns',
  'Status filter': 'viewRuns',
  'Expand entry': 'viewRuns',
  'Refresh SHA': 'refreshSha',
  'Download Addons': 'downloadAddons',
  'Copy Branch Name': null,
  'Copy SHA': null,
  Delete: 'deleteBranch',
  'Add New URL': 'addUrl',
  'Deploy SSL Certificates': 'deploySslCertificates',
  'Check SSL': 'checkSsl',
  'Download from Storage': 'downloadCertificate',
  'Upload to Storage': 'uploadCertificate',
  'Renew SSL': 'renewUrlSsl',
  'Delete URL': 'deleteUrl',
  'Add Branch': 'addBranch',
  'Get Password': 'getAdminPassword',
  'Regenerate Password': 'regenerateAdminPassword',
  'Switch or Roll Back': 'rollback',
};

// ---- F30 and the seed's words ----
const LADDER: readonly Role[] = ['viewer', 'developer', 'developer_plus', 'maintainer', 'admin'];
const ENV_TYPES: readonly EnvironmentType[] = ['development', 'staging', 'production'];
const STATES: readonly AppState[] = [
  'draft',
  'deploying',
  'deployed',
  'error',
  'canceled',
  'deleting',
  'deleted',
  'disabled',
];
type Level = 'all' | 'developer+' | 'developer+env' | 'admin';
const SEED_LEVEL_WORDS: Record<string, Level> = {
  All: 'all',
  'Developer+': 'developer+',
  'Developer+ (env-type specific)': 'developer+env',
  Admin: 'admin',
};
// The seed writes "deploy" for deployed and "delete" for deleted in the Danger Zone.
const SEED_STATE_WORDS: Record<string, AppState> = {
  draft: 'draft',
  deploy: 'deployed',
  deployed: 'deployed',
  error: 'error',
  canceled: 'canceled',
  delete: 'deleted',
  disabled: 'disabled',
};
const F30_READING: Record<EnvironmentType, Role> = {
  development: 'developer',
  staging: 'developer_plus',
  production: 'maintainer',
};
const STRICT_POLICY: Record<EnvironmentType, Role> = {
  development: 'viewer',
  staging: 'maintainer',
  production: 'admin',
};

// ---- Our documented choices (docs/access.md) where the seed is silent ----
const EVERY = 'every' as const;
const SETTLED: AppState[] = ['deployed', 'error', 'canceled'];
const EDITABLE: AppState[] = ['draft', 'deploying', 'deployed', 'error', 'canceled'];
const OUR_LEVELS: Partial<Record<ActionName, Level>> = {
  viewApp: 'all',
  updateApp: 'developer+env',
  getAdminPassword: 'developer+env',
  regenerateAdminPassword: 'developer+env',
  updateAutomation: 'developer+env',
  updateEnvironmentAutomation: 'developer+env',
  addBranch: 'developer+env',
  refreshSha: 'all',
  downloadAddons: 'developer+',
  deleteBranch: 'developer+env',
  addUrl: 'developer+env',
  deploySslCertificates: 'developer+',
  checkSsl: 'all',
  downloadCertificate: 'developer+env',
  uploadCertificate: 'developer+env',
  renewUrlSsl: 'developer+',
  deleteUrl: 'developer+env',
  viewReleases: 'all',
  rollback: 'developer+env',
  viewRunners: 'all',
  viewBackups: 'all',
  viewRestorations: 'all',
  viewLogs: 'developer+env',
  viewProject: 'all',
  createApp: 'developer+env',
  manageMembers: 'admin',
  manageEnvironments: 'admin',
  manageServers: 'admin',
  manageProjects: 'admin',
  manageGitIntegration: 'admin',
};
const OUR_STATES: Partial<Record<ActionName, AppState[] | typeof EVERY>> = {
  open: ['deploying', 'deployed', 'error', 'canceled'],
  deploy: ['draft', 'deployed', 'error', 'canceled', 'deleted'],
  update: SETTLED,
  backup: [...SETTLED, 'disabled'],
  syncVariables: SETTLED,
  syncServerBackups: [...SETTLED, 'deleted', 'disabled'],
  setupLogs: SETTLED,
  restore: SETTLED,
  enableMaintenance: SETTLED,
  disableMaintenance: SETTLED,
  renewSsl: SETTLED,
  applyConfig: EDITABLE,
  viewConfig: EVERY,
  viewRuns: EVERY,
  viewApp: EVERY,
  updateApp: EDITABLE,
  getAdminPassword: EVERY,
  regenerateAdminPassword: EDITABLE,
  updateAutomation: EDITABLE,
  updateEnvironmentAutomation: EVERY,
  addBranch: EDITABLE,
  refreshSha: EVERY,
  downloadAddons: EVERY,
  deleteBranch: EDITABLE,
  addUrl: EDITABLE,
  deploySslCertificates: SETTLED,
  checkSsl: EVERY,
  downloadCertificate: EVERY,
  uploadCertificate: EDITABLE,
  renewUrlSsl: SETTLED,
  deleteUrl: EDITABLE,
  viewReleases: EVERY,
  rollback: SETTLED,
  viewRunners: EVERY,
  viewBackups: EVERY,
  viewRestorations: EVERY,
  viewLogs: EVERY,
  viewProject: EVERY,
  createApp: EVERY,
  manageMembers: EVERY,
  manageEnvironments: EVERY,
  manageServers: EVERY,
  manageProjects: EVERY,
  manageGitIntegration: EVERY,
};

// ---- Reading the seed's conditions out of its own descriptions ----
interface SeedConditions {
  states?: AppState[];
  rule?: TargetRule;
}

function seedConditions(description: string): SeedConditions {
  const paren = /\(([^)]*)\)$/.exec(description)?.[1];
  if (paren === undefined) return {};
  if (paren === 'non-main branches only') return { rule: 'notMainBranch' };
  if (paren === 'disabled for primary URL') return { rule: 'notPrimaryUrl' };
  if (paren === 'if SSL provider set') return { rule: 'needsSslProvider' };
  if (paren === 'Pending, Running, etc.') return {};
  const list = /^(?:only shown when state is|when state is|only when) (.+)$/.exec(paren)?.[1];
  if (list === undefined) throw new Error(`Unread seed condition: (${paren})`);
  const result: SeedConditions = { states: [] };
  for (const word of list.split(/,\s*(?:or\s+)?|\s+or\s+/)) {
    if (word === 'Docker method') result.rule = 'dockerOnly';
    else {
      const state = SEED_STATE_WORDS[word];
      if (!state) throw new Error(`Unread seed state word "${word}" in (${paren})`);
      result.states?.push(state);
    }
  }
  return result;
}

// ---- The expected rules per action, built from the seed first and our choices second ----
interface Expected {
  level: Level;
  states: AppState[] | typeof EVERY;
  rule?: TargetRule;
}

function buildExpected(): Map<ActionName, Expected> {
  const seedLevel = new Map<ActionName, Level>();
  const seedStates = new Map<ActionName, AppState[]>();
  const seedRule = new Map<ActionName, TargetRule>();
  const rows = [
    ...Object.values(SEED_TABLES_WITH_LEVEL).flat(),
    ...Object.values(SEED_TABLES_WITHOUT_LEVEL).flat(),
  ];
  for (const [label] of SEED_PROSE_ACTIONS) {
    if (!SEED_ROW_ACTION[label]) throw new Error(`Seed action "${label}" has no mapping`);
  }
  for (const [label, description, levelWords] of rows) {
    const name = SEED_ROW_ACTION[label];
    if (name === undefined) throw new Error(`Seed row "${label}" has no mapping`);
    if (name === null) continue;
    if (levelWords !== undefined) {
      const level = SEED_LEVEL_WORDS[levelWords];
      if (!level) throw new Error(`Unread seed level "${levelWords}"`);
      seedLevel.set(name, level);
    }
    const conditions = seedConditions(description);
    if (conditions.states) seedStates.set(name, conditions.states);
    if (conditions.rule) seedRule.set(name, conditions.rule);
  }
  const expected = new Map<ActionName, Expected>();
  const names = new Set<ActionName>([
    ...seedLevel.keys(),
    ...(Object.keys(OUR_LEVELS) as ActionName[]),
    ...(Object.keys(OUR_STATES) as ActionName[]),
    ...SEED_PROSE_ACTIONS.map(([label]) => SEED_ROW_ACTION[label] as ActionName),
  ]);
  for (const name of names) {
    const level = seedLevel.get(name) ?? OUR_LEVELS[name];
    const states = seedStates.get(name) ?? OUR_STATES[name];
    if (!level || !states) throw new Error(`No expected level or states for ${name}`);
    expected.set(name, { level, states, ...(seedRule.has(name) ? { rule: seedRule.get(name) } : {}) });
  }
  return expected;
}

const EXPECTED = buildExpected();

function rank(role: Role): number {
  return LADDER.indexOf(role);
}

function expectedRole(level: Level, env: EnvironmentType, policy: Record<EnvironmentType, Role>): Role {
  if (level === 'all') return 'viewer';
  if (level === 'developer+') return 'developer';
  if (level === 'admin') return 'admin';
  return policy[env];
}

describe('the catalog agrees with the seed', () => {
  it('our choices never override something the seed decides', () => {
    const seedNamed = Object.values(SEED_TABLES_WITH_LEVEL)
      .flat()
      .map(([label]) => SEED_ROW_ACTION[label]);
    for (const name of seedNamed) expect(OUR_LEVELS).not.toHaveProperty(name as string);
    for (const name of ['retry', 'restart', 'updateConfig', 'deleteInstance', 'destroy'] as const) {
      expect(OUR_STATES).not.toHaveProperty(name);
    }
  });

  it('the seed conditions read as F2 states them', () => {
    expect(EXPECTED.get('retry')?.states).toEqual(['error', 'canceled']);
    expect(EXPECTED.get('restart')?.states).toEqual(['deployed']);
    expect(EXPECTED.get('updateConfig')).toMatchObject({ states: ['deployed'], rule: 'dockerOnly' });
    expect(EXPECTED.get('deleteInstance')?.states).toEqual(['deployed', 'error']);
    expect(EXPECTED.get('destroy')?.states).toEqual(['draft', 'deleted', 'disabled']);
    expect(EXPECTED.get('deleteUrl')?.rule).toBe('notPrimaryUrl');
    expect(EXPECTED.get('deleteBranch')?.rule).toBe('notMainBranch');
  });

  it('has exactly the actions the expectations cover', () => {
    expect([...ACTION_NAMES].sort()).toEqual([...EXPECTED.keys()].sort());
    expect(new Set(ACTION_NAMES).size).toBe(ACTION_NAMES.length);
  });

  it("uses the seed's label for each seed row that is one action", () => {
    const counts = new Map<ActionName, number>();
    for (const name of Object.values(SEED_ROW_ACTION))
      if (name) counts.set(name, (counts.get(name) ?? 0) + 1);
    for (const [label, name] of Object.entries(SEED_ROW_ACTION)) {
      if (name && counts.get(name) === 1) expect(getAction(name).label, name).toBe(label);
    }
  });

  it('level, states and target rule of each action match', () => {
    for (const [name, want] of EXPECTED) {
      const action = getAction(name);
      expect(action.level, name).toBe(want.level);
      expect(action.states ? [...action.states] : EVERY, name).toEqual(want.states);
      expect(action.targetRule, name).toBe(want.rule);
    }
  });

  it('branch actions target a branch and URL actions a URL (Deploy SSL Certificates: the whole app)', () => {
    for (const [label] of SEED_TABLES_WITHOUT_LEVEL['Branch Actions'] ?? []) {
      const name = SEED_ROW_ACTION[label];
      if (name) expect(getAction(name).targets, name).toBe('branch');
    }
    for (const [label] of SEED_TABLES_WITHOUT_LEVEL['URLs Tab Actions'] ?? []) {
      const name = SEED_ROW_ACTION[label];
      if (name) expect(getAction(name).targets, name).toBe(name === 'deploySslCertificates' ? 'app' : 'url');
    }
    expect(getAction('addBranch').targets).toBe('branch');
  });

  it('exactly the operations run as workflows', () => {
    // F3-F14 operations, F23's certificate deployments, and URL changes (they rewrite host routing).
    const workflows = [
      'deploy',
      'update',
      'backup',
      'retry',
      'syncVariables',
      'syncServerBackups',
      'setupLogs',
      'restore',
      'restart',
      'updateConfig',
      'enableMaintenance',
      'disableMaintenance',
      'renewSsl',
      'deleteInstance',
      'destroy',
      'rollback',
      'deploySslCertificates',
      'renewUrlSsl',
      'addUrl',
      'deleteUrl',
    ];
    const actual = ACTION_NAMES.filter((name) => getAction(name).needsWorkflow);
    expect([...actual].sort()).toEqual([...workflows].sort());
  });
});

describe('every action x role x environment type x app state', () => {
  const policies = [
    ['default policy (F30 reading)', F30_READING, undefined],
    [
      'configured policy (viewer, maintainer, admin)',
      STRICT_POLICY,
      { developerPlusByEnvironment: STRICT_POLICY },
    ],
  ] as const;

  for (const [policyName, policyRoles, policy] of policies) {
    it.each([...EXPECTED.keys()])(`%s under the ${policyName}`, (name) => {
      const want = EXPECTED.get(name) as Expected;
      const mismatches: string[] = [];
      let checked = 0;
      for (const role of [null, ...LADDER]) {
        for (const env of ENV_TYPES) {
          for (const state of STATES) {
            const requiredRole = expectedRole(want.level, env, policyRoles);
            const stateOk = want.states === EVERY || want.states.includes(state);
            const reason =
              role === null
                ? 'not_member'
                : rank(role) < rank(requiredRole)
                  ? 'role'
                  : stateOk
                    ? null
                    : 'state';
            const input: DecideInput = { action: name, role, environmentType: env, appState: state };
            if (policy) input.policy = policy;
            const got = decide(input);
            checked++;
            const gotSummary = {
              allowed: got.allowed,
              reason: got.allowed ? null : got.reason,
              requiredRole: got.requiredRole,
              allowedStates: got.allowed ? undefined : got.allowedStates,
            };
            const wantSummary = {
              allowed: reason === null,
              reason,
              requiredRole,
              allowedStates: reason === 'state' ? want.states : undefined,
            };
            if (JSON.stringify(gotSummary) !== JSON.stringify(wantSummary)) {
              mismatches.push(`${role}/${env}/${state}: got ${JSON.stringify(gotSummary)}`);
            }
          }
        }
      }
      expect(mismatches).toEqual([]);
      expect(checked).toBe(6 * 3 * 8);
    });
  }
});

describe('target conditions (F2)', () => {
  const base = { role: 'admin', environmentType: 'production', appState: 'deployed' } as const;

  it('Delete URL is never offered for the primary URL', () => {
    const denied = decide({ ...base, action: 'deleteUrl', target: { isPrimaryUrl: true } });
    expect(denied).toMatchObject({ allowed: false, reason: 'target', actorRole: 'admin' });
    expect(!denied.allowed && denied.message).toBe(
      'Delete URL is not available for the primary URL; make another URL primary first.',
    );
    expect(decide({ ...base, action: 'deleteUrl', target: { isPrimaryUrl: false } }).allowed).toBe(true);
    // The primary flag matters to Delete URL only.
    expect(decide({ ...base, action: 'checkSsl', target: { isPrimaryUrl: true } }).allowed).toBe(true);
  });

  it('Delete is never offered for the main branch', () => {
    const denied = decide({ ...base, action: 'deleteBranch', target: { isMainBranch: true } });
    expect(denied).toMatchObject({ allowed: false, reason: 'target' });
    expect(!denied.allowed && denied.message).toBe(
      'Delete (branch) is not available for the main branch; mark another branch as main first.',
    );
    expect(decide({ ...base, action: 'deleteBranch', target: { isMainBranch: false } }).allowed).toBe(true);
    expect(decide({ ...base, action: 'refreshSha', target: { isMainBranch: true } }).allowed).toBe(true);
  });

  it('Update Config needs the Docker method', () => {
    expect(decide({ ...base, action: 'updateConfig', target: { engine: 'docker' } }).allowed).toBe(true);
    // A stored record from a future engine reaches decide() untyped.
    const other = decide({ ...base, action: 'updateConfig', target: { engine: 'podman' as 'docker' } });
    expect(other).toMatchObject({ allowed: false, reason: 'target' });
    expect(!other.allowed && other.message).toContain('Docker method');
    expect(!other.allowed && other.message).toContain('podman');
    expect(decide({ ...base, action: 'restart', target: { engine: 'podman' as 'docker' } }).allowed).toBe(
      true,
    );
  });

  it('Deploy SSL Certificates needs an SSL provider', () => {
    const denied = decide({ ...base, action: 'deploySslCertificates', target: { hasSslProvider: false } });
    expect(denied).toMatchObject({ allowed: false, reason: 'target' });
    expect(!denied.allowed && denied.message).toContain('set one in the URLs tab');
    expect(
      decide({ ...base, action: 'deploySslCertificates', target: { hasSslProvider: true } }).allowed,
    ).toBe(true);
  });

  it('checks role, then state, then target', () => {
    const primaryInDeletedApp = { action: 'deleteUrl', target: { isPrimaryUrl: true } } as const;
    expect(
      decide({ ...primaryInDeletedApp, role: 'viewer', environmentType: 'production', appState: 'deleted' }),
    ).toMatchObject({ reason: 'role' });
    expect(
      decide({ ...primaryInDeletedApp, role: 'admin', environmentType: 'production', appState: 'deleted' }),
    ).toMatchObject({
      reason: 'state',
      allowedStates: ['draft', 'deploying', 'deployed', 'error', 'canceled'],
    });
    expect(
      decide({ action: 'retry', role: 'viewer', environmentType: 'development', appState: 'deployed' }),
    ).toMatchObject({ reason: 'role' });
  });
});

describe('messages say what is needed and what to do', () => {
  it('role: names the role, the environment type, the actor and the next step', () => {
    const deploy = decide({
      action: 'deploy',
      role: 'developer',
      environmentType: 'production',
      appState: 'deployed',
    });
    expect(!deploy.allowed && deploy.message).toBe(
      'Deploy needs Maintainer or higher in a production environment (you are Developer); ask a project Admin to raise your role.',
    );
    const restart = decide({
      action: 'restart',
      role: 'viewer',
      environmentType: 'production',
      appState: 'deployed',
    });
    expect(!restart.allowed && restart.message).toBe(
      'Restart Service needs Developer or higher (you are Viewer); ask a project Admin to raise your role.',
    );
    const destroy = decide({
      action: 'destroy',
      role: 'maintainer',
      environmentType: 'staging',
      appState: 'draft',
    });
    expect(!destroy.allowed && destroy.message).toBe(
      'Destroy needs Admin (you are Maintainer); ask a project Admin to do it or to make you Admin.',
    );
    const staging = decide({
      action: 'update',
      role: 'developer',
      environmentType: 'staging',
      appState: 'deployed',
    });
    expect(!staging.allowed && staging.message).toContain(
      'Developer Plus or higher in a staging environment',
    );
  });

  it('state: lists the states and says the current one', () => {
    const retry = decide({
      action: 'retry',
      role: 'admin',
      environmentType: 'production',
      appState: 'deployed',
    });
    expect(retry).toMatchObject({ allowed: false, reason: 'state', allowedStates: ['error', 'canceled'] });
    expect(!retry.allowed && retry.message).toBe(
      'Retry is only available when the app is in state error or canceled (it is deployed).',
    );
    const destroy = decide({
      action: 'destroy',
      role: 'admin',
      environmentType: 'production',
      appState: 'deployed',
    });
    expect(!destroy.allowed && destroy.message).toBe(
      'Destroy is only available when the app is in state draft, deleted or disabled (it is deployed).',
    );
  });

  it('non-member: never allowed, even for "All" actions, and told to ask for membership', () => {
    for (const name of ACTION_NAMES) {
      const decision = decide({
        action: name,
        role: null,
        environmentType: 'development',
        appState: 'deployed',
      });
      expect(decision, name).toMatchObject({ allowed: false, reason: 'not_member', actorRole: null });
    }
    const open = decide({ action: 'open', role: null, environmentType: 'production', appState: 'deployed' });
    expect(!open.allowed && open.message).toBe(
      'Open is only for members of this project (it needs Viewer or higher); ask a project Admin to add you.',
    );
    const deploy = decide({ action: 'deploy', role: null, environmentType: 'production' });
    expect(!deploy.allowed && deploy.message).toContain('Maintainer or higher in a production environment');
  });

  it('every denial message ends with a next step', () => {
    for (const name of ACTION_NAMES) {
      for (const role of [null, ...LADDER]) {
        for (const state of STATES) {
          const decision = decide({ action: name, role, environmentType: 'production', appState: state });
          if (decision.allowed) continue;
          expect(decision.message, `${name}/${role}/${state}`).toMatch(
            /(ask a project Admin|only available when the app is in state)/,
          );
          expect(decision.message).toContain(getAction(name).label);
        }
      }
    }
  });
});

describe('unknown facts', () => {
  it('without an environment type, env-specific actions need the strictest role of the policy', () => {
    expect(decide({ action: 'deploy', role: 'developer_plus' })).toMatchObject({
      allowed: false,
      reason: 'role',
      requiredRole: 'maintainer',
    });
    expect(decide({ action: 'deploy', role: 'maintainer' }).allowed).toBe(true);
    const policy = {
      developerPlusByEnvironment: { development: 'admin', staging: 'viewer', production: 'viewer' },
    } as const;
    expect(decide({ action: 'deploy', role: 'maintainer', policy })).toMatchObject({ requiredRole: 'admin' });
    const message = decide({ action: 'deploy', role: 'developer' });
    expect(!message.allowed && message.message).toContain('environment type is unknown');
  });

  it('without an app state, only role and target are checked', () => {
    expect(decide({ action: 'retry', role: 'maintainer', environmentType: 'production' }).allowed).toBe(true);
    expect(
      decide({
        action: 'deleteUrl',
        role: 'maintainer',
        environmentType: 'production',
        target: { isPrimaryUrl: true },
      }),
    ).toMatchObject({ reason: 'target' });
  });

  it('rejects an unknown action name from untyped callers', () => {
    expect(() => decide({ action: 'shell' as ActionName, role: 'admin' })).toThrow(/Unknown action "shell"/);
  });
});
