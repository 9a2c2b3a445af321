// Access is enforced by every method (F30): a viewer is refused every mutation, a non-member
// every call, a client without an actor everything, and nothing changes when they are refused.

import {
  ACTIONS,
  type ActionDefinition,
  CloudWady,
  type CloudWadyClient,
  DEFAULT_ACCESS_POLICY,
  ForbiddenError,
  ROLES,
  roleRank,
} from '@cloudwady/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callMethod, clientMethods, type Extras, METHOD_ARGS, validArgs } from '../support/calls.js';
import { RecordingGateway } from '../support/gateway.js';
import type { StoreTarget } from '../support/targets.js';
import { makeWorld, type World } from '../support/world.js';

/** Calls any member may make (reads, and the two operations the seed gives "All"). */
const VIEWER_MAY = new Set([
  'projects.get',
  'projects.list',
  'environments.get',
  'environments.list',
  'servers.get',
  'servers.list',
  'apps.get',
  'apps.list',
  'apps.availableActions',
  'apps.open',
  'apps.getConfig',
  'apps.getAutomation',
  'branches.list',
  'branches.get',
  'branches.refreshSha',
  'urls.list',
  'urls.get',
  'urls.checkSsl',
  'releases.list',
  'releases.get',
  'releases.current',
  'backups.list',
  'backups.get',
  'restorations.list',
  'restorations.get',
  'members.list',
  'access.check',
  'access.role',
  'access.policy',
  'runs.list',
  'runs.get',
  'runs.result',
  'runs.watch',
]);
/** Calls that need no membership of this project. */
const ANY_ACTOR_MAY = new Set(['projects.create', 'projects.list', 'access.role', 'access.check']);

export function enforcementSuite(target: () => StoreTarget) {
  describe('access enforcement', () => {
    let root: CloudWadyClient;
    let gateway: RecordingGateway;
    let w: World;
    let x: Extras;
    let args: Record<string, unknown[]>;

    beforeAll(async () => {
      gateway = new RecordingGateway();
      root = await CloudWady.connect(target().options({ operations: gateway }));
      w = await makeWorld(root);
      const app = w.app.production.id;
      await root.engine.transitionApp(app, { to: 'deploying' });
      w.app.production = await root.engine.transitionApp(app, { to: 'deployed' });
      const [main] = await w.as.admin.branches.list(app);
      const branch = await w.as.admin.branches.add(app, { name: 'feature' });
      const [primary] = await w.as.admin.urls.list(app);
      const { url } = await w.as.admin.urls.add(app, { domain: `alt-${w.project.id.slice(4)}.shop.test` });
      const release = (hex: string) => ({
        appId: app,
        fingerprint: hex.repeat(64),
        image: `shop:${hex}`,
        commitSha: hex.repeat(40),
        configHash: hex.repeat(64),
        createdBy: 'ada',
      });
      const earlier = await root.engine.recordRelease(release('1'));
      await root.engine.recordRelease(release('2'));
      const backup = await root.engine.recordBackup({ appId: app, kind: 'manual', createdBy: 'ada' });
      await root.engine.updateBackup(backup.id, { status: 'completed' });
      const restoration = await root.engine.recordRestoration({
        backupId: backup.id,
        targetAppId: app,
        createdBy: 'ada',
      });
      x = {
        branchId: branch.id,
        mainBranchId: main?.id ?? '',
        urlId: url.id,
        primaryUrlId: primary?.id ?? '',
        releaseId: earlier.id,
        backupId: backup.id,
        restorationId: restoration.id,
      };
      args = validArgs(w, x);
      gateway.requests.length = 0;
    });
    afterAll(async () => root?.close());

    const actorMethods = () => Object.keys(METHOD_ARGS).filter((m) => !m.startsWith('engine.'));

    it('knows every method of the client', () => {
      expect(clientMethods(root).sort()).toEqual(Object.keys(METHOD_ARGS).sort());
      expect(Object.keys(args).sort()).toEqual(actorMethods().sort());
    });

    it('refuses a viewer every mutation, changing nothing and starting nothing', async () => {
      const refused = actorMethods().filter((m) => !VIEWER_MAY.has(m) && !ANY_ACTOR_MAY.has(m));
      expect(refused.length).toBeGreaterThan(45);
      const before = await target().dump();
      for (const method of refused) {
        const error = await callMethod(w.as.viewer, method, args[method] ?? []).then(
          () => new Error(`${method} was allowed for a viewer`),
          (e: unknown) => e,
        );
        expect(error, method).toBeInstanceOf(ForbiddenError);
        expect((error as ForbiddenError).decision, method).toMatchObject({
          allowed: false,
          reason: 'role',
          actorRole: 'viewer',
        });
      }
      expect(await target().dump()).toEqual(before);
      expect(gateway.requests).toEqual([]);
    });

    it('lets a viewer read and run the "All" actions', async () => {
      for (const method of VIEWER_MAY) {
        const result = await callMethod(w.as.viewer, method, args[method] ?? []).catch((e) => e);
        // Run history needs the engine's Temporal reader, which this gateway does not offer.
        if (method.startsWith('runs.')) expect(result, method).toMatchObject({ code: 'not_available' });
        else expect(result, method).not.toBeInstanceOf(Error);
      }
      expect(gateway.requests.map((r) => r.operation).sort()).toEqual(['checkSsl', 'refreshSha']);
    });

    it('refuses a non-member every call on the project, and a client without an actor every call', async () => {
      const before = await target().dump();
      for (const method of actorMethods()) {
        const call = (client: CloudWadyClient): Promise<ForbiddenError> =>
          callMethod(client, method, args[method] ?? []).then(
            () => new Error(`${method} was allowed`) as ForbiddenError,
            (e: ForbiddenError) => e,
          );
        const anonymous = await call(root);
        expect(anonymous, method).toBeInstanceOf(ForbiddenError);
        expect(anonymous.message, method).toMatch(/client\.as\(/);
        if (ANY_ACTOR_MAY.has(method)) continue;
        const outsider = await call(w.as.outsider);
        expect(outsider, method).toBeInstanceOf(ForbiddenError);
        expect(outsider.decision, method).toMatchObject({ reason: 'not_member', actorRole: null });
      }
      expect(await w.as.outsider.projects.list()).toEqual([]);
      expect(await w.as.outsider.access.role(w.project.id)).toBeNull();
      expect(await target().dump()).toEqual(before);
    });

    it('asks the role of the environment type for "Developer+ (env-type specific)" actions', async () => {
      for (const type of ['development', 'staging', 'production'] as const) {
        const needed = DEFAULT_ACCESS_POLICY.developerPlusByEnvironment[type];
        for (const role of ROLES) {
          const decision = await w.as[role].access.check({ action: 'applyConfig', appId: w.app[type].id });
          expect(decision.allowed, `${role} applyConfig`).toBe(roleRank(role) >= roleRank('developer'));
          const update = await w.as[role].access.check({ action: 'updateApp', appId: w.app[type].id });
          expect(update.allowed, `${role} in ${type}`).toBe(roleRank(role) >= roleRank(needed));
          const edit = await w.as[role].apps.edit(w.app[type].id, { deploymentNote: role }).catch((e) => e);
          if (update.allowed) expect(edit.deploymentNote).toBe(role);
          else
            expect(edit).toMatchObject({
              code: 'forbidden',
              decision: { requiredRole: needed, actorRole: role },
            });
        }
      }
    });

    it('explains refusals by state and by target', async () => {
      const admin = w.as.admin;
      expect(await admin.access.check({ action: 'deleteUrl', urlId: x.primaryUrlId })).toMatchObject({
        allowed: false,
        reason: 'target',
      });
      expect(await admin.access.check({ action: 'deleteUrl', urlId: x.urlId })).toMatchObject({
        allowed: true,
      });
      expect(await admin.access.check({ action: 'deleteBranch', branchId: x.mainBranchId })).toMatchObject({
        reason: 'target',
      });
      expect(await admin.access.check({ action: 'retry', appId: w.app.production.id })).toMatchObject({
        allowed: false,
        reason: 'state',
        allowedStates: ['error', 'canceled'],
      });
      expect(
        await w.as.developer.access.check({
          action: 'createApp',
          projectId: w.project.id,
          environmentId: w.env.staging.id,
        }),
      ).toMatchObject({
        allowed: false,
        requiredRole: 'developer_plus',
      });
      await expect(admin.urls.delete(x.primaryUrlId)).rejects.toMatchObject({
        code: 'conflict',
        details: { decision: { reason: 'target' } },
      });
    });

    it('lists every app action with why it is not available', async () => {
      const viewer = await w.as.viewer.apps.availableActions(w.app.production.id);
      expect(viewer.map((a) => a.name)).toEqual(
        ACTIONS.filter((a) => a.targets === 'app').map((a) => a.name),
      );
      for (const action of viewer) {
        const definition: ActionDefinition | undefined = ACTIONS.find((a) => a.name === action.name);
        if (definition?.level === 'all') {
          expect(action.decision.allowed, action.name).toBe(
            !definition.states || definition.states.includes('deployed'),
          );
        } else expect(action.decision, action.name).toMatchObject({ allowed: false, reason: 'role' });
      }
      const admin = await w.as.admin.apps.availableActions(w.app.production.id);
      const byName = Object.fromEntries(admin.map((a) => [a.name, a.decision]));
      expect(byName.restart).toMatchObject({ allowed: true });
      expect(byName.destroy).toMatchObject({ allowed: false, reason: 'state' });
      expect(byName.deploySslCertificates).toMatchObject({ allowed: true });
    });
  });
}
