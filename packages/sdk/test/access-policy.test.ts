// Roles ladder, the configurable environment-type policy, availableActions, and the property that
// a higher role is never denied what a lower role may do.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACTION_NAMES,
  ACTIONS,
  APP_STATES,
  type AppState,
  accessPolicy,
  accessPolicySchema,
  atLeast,
  availableActions,
  DEFAULT_ACCESS_POLICY,
  decide,
  ENVIRONMENT_TYPES,
  type EnvironmentType,
  ROLES,
  type Role,
  roleDisplayName,
  roleRank,
} from '../src/access/index.js';

describe('roles ladder (F30)', () => {
  it('ranks Viewer < Developer < Developer Plus < Maintainer < Admin', () => {
    expect(ROLES.map(roleRank)).toEqual([0, 1, 2, 3, 4]);
    expect(ROLES.map(roleDisplayName)).toEqual([
      'Viewer',
      'Developer',
      'Developer Plus',
      'Maintainer',
      'Admin',
    ]);
  });

  it('atLeast compares ranks', () => {
    expect(atLeast('maintainer', 'developer_plus')).toBe(true);
    expect(atLeast('developer_plus', 'developer_plus')).toBe(true);
    expect(atLeast('developer', 'developer_plus')).toBe(false);
    expect(atLeast('admin', 'viewer')).toBe(true);
    expect(() => roleRank('owner' as Role)).toThrow(/Unknown role "owner"/);
  });
});

describe('environment-type policy', () => {
  it("defaults to F30's reading", () => {
    expect(DEFAULT_ACCESS_POLICY.developerPlusByEnvironment).toEqual({
      development: 'developer',
      staging: 'developer_plus',
      production: 'maintainer',
    });
    const need = (environmentType: EnvironmentType) =>
      decide({ action: 'deploy', role: 'viewer', environmentType });
    expect(ENVIRONMENT_TYPES.map((type) => need(type).requiredRole)).toEqual([
      'developer',
      'developer_plus',
      'maintainer',
    ]);
  });

  it('is configurable per project, with the defaults for the rest', () => {
    const policy = accessPolicy({ production: 'admin' });
    expect(policy.developerPlusByEnvironment).toEqual({
      development: 'developer',
      staging: 'developer_plus',
      production: 'admin',
    });
    const asMaintainer = { action: 'deploy', role: 'maintainer', appState: 'deployed', policy } as const;
    expect(decide({ ...asMaintainer, environmentType: 'production' })).toMatchObject({
      allowed: false,
      reason: 'role',
      requiredRole: 'admin',
    });
    expect(decide({ ...asMaintainer, environmentType: 'staging' }).allowed).toBe(true);
    // "Developer+" (not env-specific) and "Admin" do not move with the policy.
    expect(
      decide({ action: 'restart', role: 'developer', environmentType: 'production', policy }).allowed,
    ).toBe(true);
    const loose = accessPolicy({ production: 'viewer' });
    expect(
      decide({ action: 'destroy', role: 'maintainer', environmentType: 'production', policy: loose }),
    ).toMatchObject({
      reason: 'role',
      requiredRole: 'admin',
    });
  });

  it('rejects a role that is not on the ladder', () => {
    expect(() => accessPolicy({ production: 'owner' as Role })).toThrow();
    expect(
      accessPolicySchema.safeParse({ developerPlusByEnvironment: { development: 'viewer' } }).success,
    ).toBe(false);
    expect(accessPolicySchema.safeParse(DEFAULT_ACCESS_POLICY).success).toBe(true);
  });
});

describe('availableActions (apps.availableActions)', () => {
  const appActions = ACTIONS.filter((action) => action.targets === 'app').map((action) => action.name);

  it('lists every app action in catalog order, each with its decision', () => {
    const list = availableActions({
      role: 'maintainer',
      environmentType: 'production',
      appState: 'deployed',
    });
    expect(list.map((entry) => entry.name)).toEqual(appActions);
    expect(list.every((entry) => entry.decision.action === entry.name)).toBe(true);
    const byName = new Map(list.map((entry) => [entry.name, entry]));
    expect(byName.get('restart')).toMatchObject({ label: 'Restart Service', section: 'maintenance' });
    expect(byName.get('deploy')?.decision.allowed).toBe(true);
    expect(byName.get('retry')?.decision).toMatchObject({ allowed: false, reason: 'state' });
    expect(byName.get('deleteInstance')?.decision).toMatchObject({ allowed: false, reason: 'role' });
    expect(list.some((entry) => (entry.name as string) === 'deleteUrl')).toBe(false);
  });

  it('says why for a Developer on production in error', () => {
    const list = availableActions({ role: 'developer', environmentType: 'production', appState: 'error' });
    const allowed = list.filter((entry) => entry.decision.allowed).map((entry) => entry.name);
    expect(allowed).toEqual(
      expect.arrayContaining([
        'open',
        'syncVariables',
        'restore',
        'enableMaintenance',
        'viewConfig',
        'viewRuns',
      ]),
    );
    expect(allowed).not.toContain('retry');
    expect(allowed).not.toContain('restart');
    const retry = list.find((entry) => entry.name === 'retry')?.decision;
    expect(retry).toMatchObject({ allowed: false, reason: 'role', requiredRole: 'maintainer' });
  });

  it('passes app facts through to the target rules', () => {
    const list = availableActions({
      role: 'admin',
      environmentType: 'staging',
      appState: 'deployed',
      target: { hasSslProvider: false },
    });
    expect(list.find((entry) => entry.name === 'deploySslCertificates')?.decision).toMatchObject({
      reason: 'target',
    });
  });

  it('offers nothing to a non-member', () => {
    const list = availableActions({ role: null, environmentType: 'development', appState: 'deployed' });
    expect(list.filter((entry) => entry.decision.allowed)).toEqual([]);
  });
});

describe('a higher role is never denied something a lower role may do', () => {
  const role = fc.constantFrom(...ROLES);
  const policy = fc.record({ development: role, staging: role, production: role });
  const target = fc.record(
    {
      isPrimaryUrl: fc.boolean(),
      isMainBranch: fc.boolean(),
      hasSslProvider: fc.boolean(),
      engine: fc.constant('docker' as const),
    },
    { requiredKeys: [] },
  );

  it('holds exhaustively under the default policy', () => {
    let pairs = 0;
    for (const action of ACTION_NAMES) {
      for (const environmentType of [undefined, ...ENVIRONMENT_TYPES]) {
        for (const appState of [undefined, ...APP_STATES] as (AppState | undefined)[]) {
          const allowed = ROLES.map((r) => decide({ action, role: r, environmentType, appState }).allowed);
          for (let low = 0; low < ROLES.length; low++) {
            for (let high = low + 1; high < ROLES.length; high++) {
              pairs++;
              if (allowed[low]) expect(allowed[high], `${action}/${environmentType}/${appState}`).toBe(true);
            }
          }
        }
      }
    }
    expect(pairs).toBe(ACTION_NAMES.length * 4 * 9 * 10);
  });

  it('holds for any policy and target', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ACTION_NAMES),
        role,
        role,
        policy,
        fc.option(fc.constantFrom(...ENVIRONMENT_TYPES), { nil: undefined }),
        fc.option(fc.constantFrom(...APP_STATES), { nil: undefined }),
        target,
        (action, a, b, byType, environmentType, appState, facts) => {
          const [low, high] = roleRank(a) <= roleRank(b) ? [a, b] : [b, a];
          const input = {
            action,
            environmentType,
            appState,
            target: facts,
            policy: { developerPlusByEnvironment: byType },
          };
          if (decide({ ...input, role: low }).allowed)
            expect(decide({ ...input, role: high }).allowed).toBe(true);
          // Non-members are below every role.
          expect(decide({ ...input, role: null }).allowed).toBe(false);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
