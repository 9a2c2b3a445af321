// Platform records and their rules, on any store: type-based defaults and the production
// Auto-Delete lock, main branches, primary URLs, unique domains, current releases, staged vs
// applied configuration, members, backups and restorations.

import {
  CloudWady,
  type CloudWadyClient,
  ConflictError,
  NotFoundError,
  ValidationError,
  WrongStateError,
} from '@cloudwady/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordingGateway } from '../support/gateway.js';
import type { StoreTarget } from '../support/targets.js';
import { makeWorld, uniq, type World } from '../support/world.js';

const sha = (c: string) => c.repeat(40);
const hex = (c: string) => c.repeat(64);

export function recordsSuite(target: () => StoreTarget) {
  describe('platform records', () => {
    let root: CloudWadyClient;
    let gateway: RecordingGateway;
    let w: World;

    beforeAll(async () => {
      gateway = new RecordingGateway();
      root = await CloudWady.connect(target().options({ operations: gateway }));
      w = await makeWorld(root);
    });
    afterAll(async () => root?.close());

    /** Expects `call` to fail with `type` and the store to be exactly as before. */
    async function rejectsUnchanged(call: () => Promise<unknown>, type: new (...args: never[]) => Error) {
      const before = await target().dump();
      await expect(call()).rejects.toBeInstanceOf(type);
      expect(await target().dump()).toEqual(before);
    }

    describe('projects and members', () => {
      it('makes the creator the Admin of a new project, in one transaction', async () => {
        const carol = root.as({ userId: `carol-${uniq()}`, name: 'Carol' });
        const project = await carol.projects.create({
          name: 'Carol',
          repositoryUrl: 'git@github.com:carol/erp.git',
        });
        expect(project.id).toMatch(/^prj_[0-9a-z]{16}$/);
        expect(await carol.members.list(project.id)).toEqual([
          expect.objectContaining({ userId: carol.actor?.userId, role: 'admin', name: 'Carol' }),
        ]);
        expect((await carol.projects.list()).map((p) => p.id)).toContain(project.id);
        expect((await w.as.viewer.projects.list()).map((p) => p.id)).not.toContain(project.id);
      });

      it('rejects a repository URL that is not a Git URL', async () => {
        await rejectsUnchanged(
          () => w.as.admin.projects.create({ name: 'x', repositoryUrl: '--upload-pack=touch /tmp/x' }),
          ValidationError,
        );
      });

      it('keeps at least one Admin and refuses duplicate members', async () => {
        const ada = w.as.admin.actor?.userId ?? '';
        await rejectsUnchanged(
          () => w.as.admin.members.setRole({ projectId: w.project.id, userId: ada, role: 'viewer' }),
          ConflictError,
        );
        await rejectsUnchanged(
          () => w.as.admin.members.remove({ projectId: w.project.id, userId: ada }),
          ConflictError,
        );
        await rejectsUnchanged(
          () => w.as.admin.members.add({ projectId: w.project.id, userId: ada, role: 'viewer' }),
          ConflictError,
        );
        const bob = `bob-${uniq()}`;
        await w.as.admin.members.add({ projectId: w.project.id, userId: bob, role: 'developer' });
        expect(
          (await w.as.admin.members.setRole({ projectId: w.project.id, userId: bob, role: 'admin' })).role,
        ).toBe('admin');
        await w.as.admin.members.remove({ projectId: w.project.id, userId: bob });
        expect(await root.as({ userId: bob }).access.role(w.project.id)).toBeNull();
      });

      it('lets a project carry its own access policy', async () => {
        const policy = {
          developerPlusByEnvironment: {
            development: 'developer',
            staging: 'maintainer',
            production: 'admin',
          },
        } as const;
        const carol = root.as({ userId: `carol-${uniq()}` });
        const project = await carol.projects.create({
          name: 'Strict',
          repositoryUrl: 'https://git.example.com/strict.git',
        });
        expect(await carol.access.policy(project.id)).toEqual({
          developerPlusByEnvironment: {
            development: 'developer',
            staging: 'developer_plus',
            production: 'maintainer',
          },
        });
        await carol.projects.update(project.id, { accessPolicy: policy });
        expect(await carol.access.policy(project.id)).toEqual(policy);
        const decision = await carol.access.check({ action: 'createApp', projectId: project.id });
        expect(decision).toMatchObject({ allowed: true, requiredRole: 'admin' });
      });
    });

    describe('environments (F18)', () => {
      it('start with the type-based automation defaults', () => {
        expect(w.env.development).toMatchObject({
          name: 'development',
          autoUpdate: true,
          autoDeploy: true,
          autoDelete: true,
        });
        expect(w.env.staging).toMatchObject({ autoUpdate: true, autoDeploy: false, autoDelete: false });
        expect(w.env.production).toMatchObject({ autoUpdate: false, autoDeploy: false, autoDelete: false });
      });

      it('lock Auto-Delete off for production, on create and on update', async () => {
        await rejectsUnchanged(
          () =>
            w.as.admin.environments.create({
              projectId: w.project.id,
              type: 'production',
              name: 'prod-2',
              autoDelete: true,
            }),
          ValidationError,
        );
        const error = await w.as.admin.environments
          .update(w.env.production.id, { autoDelete: true })
          .catch((e) => e);
        expect(error).toBeInstanceOf(ValidationError);
        expect(error.details.issues[0].path).toEqual(['autoDelete']);
        expect(error.message).toMatch(/locked off for production/);
        await rejectsUnchanged(
          () => w.as.admin.environments.update(w.env.production.id, { autoDelete: true }),
          ValidationError,
        );
        const prod2 = await w.as.admin.environments.create({
          projectId: w.project.id,
          type: 'production',
          name: `p-${uniq()}`,
          autoUpdate: true,
        });
        expect(prod2).toMatchObject({ autoUpdate: true, autoDeploy: false, autoDelete: false });
      });

      it('let the toggles change elsewhere, and refuse duplicate names', async () => {
        const env = await w.as.admin.environments.create({
          projectId: w.project.id,
          type: 'staging',
          name: `qa-${uniq()}`,
        });
        expect(
          await w.as.admin.environments.update(env.id, { autoDeploy: true, autoDelete: true }),
        ).toMatchObject({
          autoUpdate: true,
          autoDeploy: true,
          autoDelete: true,
        });
        await rejectsUnchanged(
          () =>
            w.as.admin.environments.create({ projectId: w.project.id, type: 'development', name: env.name }),
          ConflictError,
        );
        await w.as.admin.environments.delete(env.id);
        await expect(w.as.admin.environments.get(env.id)).rejects.toBeInstanceOf(NotFoundError);
        await rejectsUnchanged(() => w.as.admin.environments.delete(w.env.staging.id), ConflictError);
      });
    });

    describe('servers', () => {
      it('keep SSH settings, proxy settings and labels; a partial update keeps the rest', async () => {
        expect(w.server).toMatchObject({
          ssh: { host: '127.0.0.1', port: 12222, username: 'cloudwady' },
          dockerSocketPath: '/var/run/docker.sock',
          proxy: { kind: 'nginx', sitesDir: '/etc/nginx/conf.d', reloadArgv: ['nginx', '-s', 'reload'] },
        });
        const updated = await w.as.admin.servers.update(w.server2.id, {
          ssh: { host: 'host-2.internal' },
          labels: { region: 'eu' },
          proxy: {
            kind: 'nginx',
            sitesDir: '/srv/nginx/sites',
            reloadArgv: ['/usr/sbin/nginx', '-s', 'reload'],
            testArgv: ['/usr/sbin/nginx', '-t'],
          },
        });
        expect(updated.ssh).toEqual({ host: 'host-2.internal', port: 12223, username: 'cloudwady' });
        expect(updated.labels).toEqual({ region: 'eu' });
        expect(updated.proxy.sitesDir).toBe('/srv/nginx/sites');
      });

      it('refuse a relative sites dir, a bad key and removal while apps run on them', async () => {
        await rejectsUnchanged(
          () =>
            w.as.admin.servers.update(w.server.id, { proxy: { sitesDir: '../etc', reloadArgv: ['nginx'] } }),
          ValidationError,
        );
        await rejectsUnchanged(
          () => w.as.admin.servers.update(w.server.id, { ssh: { privateKey: 'not a key' } }),
          ValidationError,
        );
        await rejectsUnchanged(() => w.as.admin.servers.delete(w.server.id), ConflictError);
      });
    });

    describe('apps (F1)', () => {
      it('start in draft with their main branch, primary URL, default config and a database name', async () => {
        const app = w.app.staging;
        expect(app).toMatchObject({
          state: 'draft',
          engine: 'docker',
          edition: 'community',
          odooVersion: '17.0',
          environmentType: 'staging',
          databaseName: 'staging_app',
        });
        expect(app.primaryUrl).toMatch(/^staging-.*\.shop\.test$/);
        const branches = await w.as.viewer.branches.list(app.id);
        expect(branches).toEqual([
          expect.objectContaining({ name: 'staging', isMain: true, repository: w.project.repositoryUrl }),
        ]);
        const config = await w.as.viewer.apps.getConfig(app.id);
        expect(config.applied).toMatchObject({ databaseName: 'staging_app', workers: 2, maxCronThreads: 1 });
        expect(config.staged).toBeNull();
      });

      it('refuse duplicate names, a server of another project, and bad database names', async () => {
        const base = {
          environmentId: w.env.development.id,
          serverId: w.server.id,
          odooVersion: '18.0' as const,
        };
        await rejectsUnchanged(
          () => w.as.admin.apps.create({ ...base, name: 'development app' }),
          ConflictError,
        );
        await rejectsUnchanged(
          () => w.as.admin.apps.create({ ...base, name: `a-${uniq()}`, databaseName: '-drop' }),
          ValidationError,
        );
        await rejectsUnchanged(
          () => w.as.admin.apps.create({ ...base, name: `a-${uniq()}`, databaseName: 'development_app' }),
          ConflictError,
        );
        await rejectsUnchanged(
          () => w.as.admin.apps.create({ ...base, name: `a-${uniq()}`, odooVersion: '15.0' as never }),
          ValidationError,
        );
        const other = await root
          .as({ userId: `zed-${uniq()}` })
          .projects.create({ name: 'Other', repositoryUrl: 'https://x.test/o.git' });
        const zed = root.as({ userId: other.createdBy });
        const otherServer = await zed.servers.create({
          projectId: other.id,
          name: 's',
          ssh: { host: 'example.org', username: 'root', privateKey: w.privateKey },
        });
        await rejectsUnchanged(
          () => w.as.admin.apps.create({ ...base, name: `a-${uniq()}`, serverId: otherServer.id }),
          ValidationError,
        );
      });

      it('edit name and deployment note', async () => {
        const app = await w.as.admin.apps.edit(w.app.development.id, {
          deploymentNote: 'Testing v2\nsecond line',
        });
        expect(app.deploymentNote).toBe('Testing v2\nsecond line');
        await rejectsUnchanged(
          () => w.as.admin.apps.edit(w.app.development.id, { name: 'staging app' }),
          ConflictError,
        );
      });
    });

    describe('branches (F20)', () => {
      it('have exactly one main branch per app, and the main branch cannot be deleted', async () => {
        const appId = w.app.development.id;
        const [main] = await w.as.admin.branches.list(appId);
        const feature = await w.as.admin.branches.add(appId, {
          name: 'feature/invoice-v2',
          commitSha: sha('a'),
        });
        expect(feature.isMain).toBe(false);
        const other = await w.as.admin.branches.add(appId, {
          name: 'release-18',
          repository: 'git@github.com:acme/fork.git',
          main: true,
        });
        expect(other.isMain).toBe(true);
        const branches = await w.as.admin.branches.list(appId);
        expect(branches.filter((b) => b.isMain).map((b) => b.id)).toEqual([other.id]);
        await rejectsUnchanged(() => w.as.admin.branches.delete(other.id), ConflictError);
        await w.as.admin.branches.setMain(main?.id ?? '');
        expect((await w.as.admin.branches.list(appId)).filter((b) => b.isMain).map((b) => b.id)).toEqual([
          main?.id,
        ]);
        await w.as.admin.branches.delete(other.id);
        await rejectsUnchanged(
          () => w.as.admin.branches.add(appId, { name: 'feature/invoice-v2' }),
          ConflictError,
        );
      });

      it('accept only valid Git branch names', async () => {
        for (const name of [
          '-x',
          'a..b',
          'foo.lock',
          'a b',
          'a~1',
          'x:y',
          'a/',
          '.hidden',
          'a//b',
          '@',
          'a@{1}',
          'a\\b',
        ]) {
          await rejectsUnchanged(
            () => w.as.admin.branches.add(w.app.development.id, { name }),
            ValidationError,
          );
        }
        const ok = await w.as.admin.branches.add(w.app.development.id, { name: 'fix/ÿ-ünïcode_1.2' });
        expect(ok.name).toBe('fix/ÿ-ünïcode_1.2');
      });

      it('record a refreshed commit SHA from the engine', async () => {
        const [main] = await w.as.admin.branches.list(w.app.production.id);
        const updated = await root.engine.setBranchSha(main?.id ?? '', sha('B'));
        expect(updated.commitSha).toBe(sha('b'));
        await expect(root.engine.setBranchSha(main?.id ?? '', 'abc')).rejects.toBeInstanceOf(ValidationError);
      });
    });

    describe('URLs (F22)', () => {
      it('have exactly one primary per app; the first URL is primary', async () => {
        const appId = w.app.development.id;
        const domain = `extra-${uniq()}.shop.test`;
        const { url: second, run } = await w.as.admin.urls.add(appId, {
          domain: domain.toUpperCase(),
          sslProvider: 'letsencrypt',
        });
        expect(run).toBeNull(); // a draft app has nothing to route
        expect(second).toMatchObject({ domain, isPrimary: false, sslProvider: 'letsencrypt' });
        const { url: third } = await w.as.admin.urls.add(appId, {
          domain: `new-${uniq()}.shop.test`,
          primary: true,
        });
        const urls = await w.as.admin.urls.list(appId);
        expect(urls.filter((u) => u.isPrimary).map((u) => u.id)).toEqual([third.id]);
        expect((await w.as.admin.apps.get(appId)).primaryUrl).toBe(third.domain);
        await w.as.admin.urls.setPrimary(second.id);
        expect((await w.as.admin.urls.list(appId)).filter((u) => u.isPrimary).map((u) => u.id)).toEqual([
          second.id,
        ]);
        await rejectsUnchanged(() => w.as.admin.urls.delete(second.id), ConflictError);
        expect(await w.as.admin.urls.delete(third.id)).toEqual({ run: null });
      });

      it('have domains unique across the platform (any case, any project)', async () => {
        const taken = w.app.production.primaryUrl ?? '';
        await rejectsUnchanged(() => w.as.admin.urls.add(w.app.staging.id, { domain: taken }), ConflictError);
        await rejectsUnchanged(
          () => w.as.admin.urls.add(w.app.staging.id, { domain: ` ${taken.toUpperCase()} ` }),
          ConflictError,
        );
        const stranger = root.as({ userId: `s-${uniq()}` });
        const project = await stranger.projects.create({ name: 'S', repositoryUrl: 'https://x.test/s.git' });
        const env = await stranger.environments.create({ projectId: project.id, type: 'development' });
        const server = await stranger.servers.create({
          projectId: project.id,
          name: 's',
          ssh: { host: 'h.test', username: 'u', privateKey: w.privateKey },
        });
        await rejectsUnchanged(
          () =>
            stranger.apps.create({
              environmentId: env.id,
              serverId: server.id,
              name: 'x',
              odooVersion: '16.0',
              primaryUrl: { domain: taken },
            }),
          ConflictError,
        );
        for (const domain of [
          'localhost',
          'a_b.test',
          '*.shop.test',
          'shop.test:8080',
          'https://shop.test',
          '-a.test',
        ]) {
          await rejectsUnchanged(() => w.as.admin.urls.add(w.app.staging.id, { domain }), ValidationError);
        }
      });
    });

    describe('app states and operations', () => {
      it('move only along the state machine', async () => {
        const id = w.app.production.id;
        await expect(root.engine.transitionApp(id, { to: 'deployed' })).rejects.toBeInstanceOf(
          WrongStateError,
        );
        expect((await root.engine.transitionApp(id, { to: 'deploying' })).state).toBe('deploying');
        expect((await root.engine.transitionApp(id, { to: 'deploying' })).state).toBe('deploying'); // a retried activity
        await expect(root.engine.transitionApp(id, { from: 'draft', to: 'deployed' })).rejects.toBeInstanceOf(
          WrongStateError,
        );
        expect((await root.engine.transitionApp(id, { from: 'deploying', to: 'deployed' })).state).toBe(
          'deployed',
        );
        w.app.production = await w.as.admin.apps.get(id);
      });

      it('start operations through the gateway after every check', async () => {
        const app = w.app.production;
        const run = await w.as.maintainer.apps.restart(app.id);
        expect(run).toMatchObject({ operation: 'restart', appId: app.id });
        expect(gateway.last()).toEqual({
          operation: 'restart',
          appId: app.id,
          projectId: w.project.id,
          environmentType: 'production',
          actor: { userId: w.as.maintainer.actor?.userId },
          input: {},
        });
        const [main] = await w.as.admin.branches.list(app.id);
        await w.as.maintainer.apps.deploy(app.id);
        expect(gateway.last()?.input).toEqual({ branchId: main?.id });
        const count = gateway.requests.length;
        await expect(w.as.maintainer.apps.retry(app.id)).rejects.toBeInstanceOf(WrongStateError);
        await expect(w.as.developer.apps.deploy(app.id)).rejects.toMatchObject({ code: 'forbidden' });
        await expect(w.as.admin.apps.destroy(app.id)).rejects.toBeInstanceOf(WrongStateError);
        expect(gateway.requests.length).toBe(count);
      });

      it('route URL changes of a deployed app through an operation', async () => {
        const app = w.app.production;
        const { url, run } = await w.as.maintainer.urls.add(app.id, { domain: `www-${uniq()}.shop.test` });
        expect(run).toMatchObject({ operation: 'addUrl' });
        expect(gateway.last()?.input).toEqual({ urlId: url.id, domain: url.domain });
        const removed = await w.as.maintainer.urls.delete(url.id);
        expect(removed.run).toMatchObject({ operation: 'deleteUrl' });
      });

      it('undo a URL change when the routing operation cannot start', async () => {
        gateway.failWith = new Error('temporal is down');
        try {
          const app = w.app.production;
          const before = await target().dump();
          const error = await w.as.maintainer.urls
            .add(app.id, { domain: `down-${uniq()}.shop.test`, primary: true })
            .catch((e) => e);
          expect(error).toMatchObject({ code: 'operation_failed' });
          expect(error.message).toMatch(/could not start addUrl/);
          const [, second] = await w.as.admin.urls.list(app.id).then((urls) => urls);
          expect(second).toBeUndefined();
          expect(await target().dump()).toEqual(before);
        } finally {
          gateway.failWith = null;
        }
      });

      it('destroy a draft app at once, and anything else through the engine', async () => {
        const app = await w.as.admin.apps.create({
          environmentId: w.env.development.id,
          serverId: w.server.id,
          name: `tmp-${uniq()}`,
          odooVersion: '16.0',
          branch: { name: 'main' },
          primaryUrl: { domain: `tmp-${uniq()}.shop.test` },
        });
        expect(await w.as.admin.apps.destroy(app.id)).toBeNull();
        await expect(w.as.admin.apps.get(app.id)).rejects.toBeInstanceOf(NotFoundError);
        expect(await w.as.admin.urls.list(w.app.development.id)).not.toContainEqual(
          expect.objectContaining({ appId: app.id }),
        );
      });
    });

    describe('releases (F14)', () => {
      it('record once per operation id, and a new configuration of the same build is a new release', async () => {
        const appId = w.app.development.id;
        const base = {
          appId,
          fingerprint: hex('7'),
          image: 'cloudwady/app:7',
          commitSha: sha('7'),
          createdBy: 'ada',
        };
        const id = 'rel_0123456789abcdef';
        const first = await root.engine.recordRelease({ ...base, id, configHash: hex('a') });
        const retried = await root.engine.recordRelease({ ...base, id, configHash: hex('a') });
        expect(retried.id).toBe(id);
        expect(first.id).toBe(id);
        const reconfigured = await root.engine.recordRelease({ ...base, configHash: hex('b') });
        expect(reconfigured.id).not.toBe(id);
        expect((await root.engine.release(appId, id)).current).toBe(false);
        await expect(root.engine.release(w.app.production.id, id)).rejects.toMatchObject({
          code: 'not_found',
        });
        const list = await w.as.viewer.releases.list(appId);
        expect(list.filter((r) => r.fingerprint === hex('7'))).toHaveLength(2);
      });

      it('have exactly one current release; the same fingerprint is the same release', async () => {
        const appId = w.app.production.id;
        const first = await root.engine.recordRelease({
          appId,
          fingerprint: hex('1'),
          image: 'cloudwady/app:1',
          commitSha: sha('1'),
          configHash: hex('c'),
          createdBy: 'ada',
        });
        const second = await root.engine.recordRelease({
          appId,
          fingerprint: hex('2'),
          image: 'cloudwady/app:2',
          commitSha: sha('2'),
          configHash: hex('c'),
          createdBy: 'ada',
        });
        let list = await w.as.viewer.releases.list(appId);
        expect(list.map((r) => [r.id, r.current])).toEqual([
          [second.id, true],
          [first.id, false],
        ]);
        const again = await root.engine.recordRelease({
          appId,
          fingerprint: hex('1'),
          image: 'cloudwady/app:1',
          commitSha: sha('1'),
          configHash: hex('c'),
          createdBy: 'ada',
        });
        expect(again.id).toBe(first.id);
        expect((await w.as.viewer.releases.current(appId))?.id).toBe(first.id);
        await root.engine.setCurrentRelease(appId, second.id);
        list = await w.as.viewer.releases.list(appId);
        expect(list.filter((r) => r.current).map((r) => r.id)).toEqual([second.id]);
        expect(await w.as.viewer.releases.current(w.app.staging.id)).toBeNull();
      });

      it('roll back to an earlier release only', async () => {
        const appId = w.app.production.id;
        const current = await w.as.viewer.releases.current(appId);
        const earlier = (await w.as.viewer.releases.list(appId)).find((r) => !r.current);
        await expect(
          w.as.maintainer.apps.rollback(appId, { releaseId: current?.id ?? '' }),
        ).rejects.toBeInstanceOf(ConflictError);
        const run = await w.as.maintainer.apps.rollback(appId, { releaseId: earlier?.id ?? '' });
        expect(run.operation).toBe('rollback');
        expect(gateway.last()?.input).toEqual({
          releaseId: earlier?.id,
          fingerprint: earlier?.fingerprint,
          image: earlier?.image,
        });
        const foreign = await root.engine.recordRelease({
          appId: w.app.staging.id,
          fingerprint: hex('9'),
          image: 'x:9',
          commitSha: sha('9'),
          configHash: hex('c'),
          createdBy: 'ada',
        });
        await expect(w.as.maintainer.apps.rollback(appId, { releaseId: foreign.id })).rejects.toBeInstanceOf(
          NotFoundError,
        );
      });
    });

    describe('configuration (F15, F16)', () => {
      it('stages Apply Config; the next deploy applies it', async () => {
        const appId = w.app.staging.id;
        const staged = await w.as.developer_plus.apps.applyConfig(appId, {
          workers: 4,
          ocaQueue: { enabled: true, channels: 'root:2' },
          limits: { limitTimeReal: 600 },
          additionalSystemPackages: ['libxml2-dev', 'wkhtmltopdf'],
          configPatch: 'log_level = debug\n; a comment\n[options]\nserver_wide_modules = base,web',
        });
        expect(staged.applied.workers).toBe(2);
        expect(staged.staged).toMatchObject({ workers: 4, limits: { limitTimeCpu: 60, limitTimeReal: 600 } });
        expect(staged.stagedBy).toBe(w.as.developer_plus.actor?.userId);
        const next = await w.as.developer_plus.apps.applyConfig(appId, { maxCronThreads: 0 });
        expect(next.staged).toMatchObject({ workers: 4, maxCronThreads: 0 });

        const view = await w.as.developer_plus.apps.viewConfig(appId);
        expect(view.source).toBe('staged');
        expect(view.odooConf).toContain('workers = 4');
        expect(view.odooConf).toContain('server_wide_modules = base,web,queue_job');
        expect(view.odooConf).toContain('[queue_job]\nchannels = root:2');
        const applied = await w.as.developer_plus.apps.viewConfig(appId, { which: 'applied' });
        expect(applied.odooConf).toContain('workers = 2');
        expect(applied.odooConf).not.toContain('queue_job');

        const promoted = await root.engine.promoteStagedConfig(appId);
        expect(promoted.staged).toBeNull();
        expect(promoted.applied).toMatchObject({ workers: 4, maxCronThreads: 0 });
        expect(await root.engine.promoteStagedConfig(appId)).toEqual(promoted); // a retried activity
      });

      it('applies a staged database name to the app record', async () => {
        const appId = w.app.staging.id;
        await w.as.admin.apps.applyConfig(appId, { databaseName: 'staging.v2' });
        expect((await w.as.admin.apps.get(appId)).databaseName).toBe('staging_app');
        await root.engine.promoteStagedConfig(appId);
        expect((await w.as.admin.apps.get(appId)).databaseName).toBe('staging.v2');
        expect((await w.as.admin.apps.viewConfig(appId)).odooConf).toContain('dbfilter = ^staging\\.v2$');
      });

      it('rejects invalid changes without staging anything', async () => {
        const appId = w.app.development.id;
        for (const patch of [
          { configPatch: '[queue_job]\nchannels = root:9' },
          { configPatch: 'admin_passwd = hunter2' },
          { configPatch: 'log_level = debug\r\nlist_db = True' },
          { configPatch: 'no equals sign' },
          { configPatch: 'a = 1\na = 2' },
          { additionalSystemPackages: ['libxml2-dev; rm -rf /'] },
          { limits: { limitMemorySoft: 4_000_000_000, limitMemoryHard: 3_000_000_000 } },
          { workers: -1 },
          { databaseName: 'x'.repeat(64) },
          { ocaQueue: { channels: 'root' } },
          { routing: { proxyBodySize: '1t' } },
          { unknownField: 1 },
        ]) {
          await rejectsUnchanged(() => w.as.admin.apps.applyConfig(appId, patch as never), ValidationError);
        }
      });

      it('discards staged changes', async () => {
        const appId = w.app.development.id;
        await w.as.admin.apps.applyConfig(appId, { workers: 8 });
        await w.as.admin.apps.regenerateAdminPassword(appId);
        const state = await w.as.admin.apps.discardStagedConfig(appId);
        expect(state).toMatchObject({ staged: null, adminPasswordStaged: false });
        expect((await w.as.admin.apps.getAdminPassword(appId)).stagedPassword).toBeNull();
      });
    });

    describe('automation (F17)', () => {
      it('merges changes and keeps a deadline to non-production apps', async () => {
        const settings = await w.as.developer.apps.updateAutomation(w.app.development.id, {
          deadline: '2030-01-31',
          autoBackup: { enabled: true },
          addons: { mode: 'select', selected: ['sale', 'stock'] },
        });
        expect(settings).toMatchObject({
          deadline: '2030-01-31',
          autoBackup: { enabled: true, cron: '0 3 * * *', retentionDays: 7 },
          addons: { mode: 'select', selected: ['sale', 'stock'] },
        });
        expect(await w.as.viewer.apps.getAutomation(w.app.development.id)).toEqual(settings);
        await rejectsUnchanged(
          () => w.as.admin.apps.updateAutomation(w.app.production.id, { deadline: '2030-01-31' }),
          ValidationError,
        );
        await rejectsUnchanged(
          () =>
            w.as.admin.apps.create({
              environmentId: w.env.production.id,
              serverId: w.server.id,
              name: `p-${uniq()}`,
              odooVersion: '18.0',
              automation: { deadline: '2030-01-01' },
            }),
          ValidationError,
        );
        await rejectsUnchanged(
          () =>
            w.as.admin.apps.updateAutomation(w.app.development.id, {
              addons: { mode: 'select', selected: [] },
            }),
          ValidationError,
        );
        await rejectsUnchanged(
          () =>
            w.as.admin.apps.updateAutomation(w.app.development.id, { autoBackup: { cron: '61 * * * *' } }),
          ValidationError,
        );
        expect(
          (await w.as.admin.apps.updateAutomation(w.app.development.id, { deadline: null })).deadline,
        ).toBeNull();
      });
    });

    describe('backups and restorations (F24, F25)', () => {
      it('record backups and restore completed ones into another app, across servers', async () => {
        const source = w.app.production;
        const backup = await root.engine.recordBackup({
          appId: source.id,
          kind: 'manual',
          createdBy: 'ada',
          note: 'before upgrade',
        });
        expect(backup).toMatchObject({
          status: 'pending',
          serverId: w.server.id,
          projectId: w.project.id,
          completedAt: null,
        });
        await root.engine.transitionApp(w.app.staging.id, { to: 'deploying' });
        await root.engine.transitionApp(w.app.staging.id, { to: 'deployed' });
        const pending = await w.as.developer.apps
          .restore(w.app.staging.id, { backupId: backup.id })
          .catch((e) => e);
        expect(pending).toMatchObject({ code: 'conflict', details: { backupStatus: 'pending' } });
        const done = await root.engine.updateBackup(backup.id, {
          status: 'completed',
          databaseSize: 5_000_000_000,
          filestoreSize: 12_345,
          storageKey: `backups/${source.id}/${backup.id}.tar`,
        });
        expect(done).toMatchObject({
          status: 'completed',
          databaseSize: 5_000_000_000,
          filestoreSize: 12_345,
        });
        expect(done.completedAt).not.toBeNull();
        expect((await w.as.viewer.backups.list(source.id)).map((b) => b.id)).toContain(backup.id);
        const run = await w.as.developer.apps.restore(w.app.staging.id, { backupId: backup.id });
        expect(run.operation).toBe('restore');
        expect(gateway.last()?.input).toEqual({
          backupId: backup.id,
          sourceAppId: source.id,
          sourceServerId: w.server.id,
          targetServerId: w.server2.id,
          neutralize: true,
        });
        const restoration = await root.engine.recordRestoration({
          backupId: backup.id,
          targetAppId: w.app.staging.id,
          createdBy: 'dev',
        });
        expect(restoration).toMatchObject({
          neutralize: true,
          crossServer: true,
          status: 'pending',
          sourceAppId: source.id,
        });
        const finished = await root.engine.updateRestoration(restoration.id, { status: 'completed' });
        expect(finished.completedAt).not.toBeNull();
        expect((await w.as.viewer.restorations.list(w.app.staging.id)).map((r) => r.id)).toEqual([
          restoration.id,
        ]);
        expect(await w.as.viewer.restorations.get(restoration.id)).toEqual(finished);
      });

      it('record a backup once when the engine retries with the same id', async () => {
        const id = `bkp_${'0'.repeat(15)}1`;
        const a = await root.engine.recordBackup({
          id,
          appId: w.app.development.id,
          kind: 'scheduled',
          createdBy: 'schedule',
        });
        const b = await root.engine.recordBackup({
          id,
          appId: w.app.development.id,
          kind: 'scheduled',
          createdBy: 'schedule',
        });
        expect(b).toEqual(a);
      });
    });

    describe('runs and the default gateway', () => {
      it('say an operations engine is needed, after every check', async () => {
        const plain = await CloudWady.connect(target().options());
        try {
          const as = (c: CloudWadyClient) => plain.as({ userId: c.actor?.userId ?? '' });
          await expect(as(w.as.admin).apps.deploy(w.app.development.id)).rejects.toMatchObject({
            code: 'not_available',
            message: expect.stringMatching(
              /needs the operations engine: pass `operations` to CloudWady.connect/,
            ),
          });
          await expect(as(w.as.viewer).apps.deploy(w.app.development.id)).rejects.toMatchObject({
            code: 'forbidden',
          });
          await expect(as(w.as.admin).apps.restart(w.app.development.id)).rejects.toMatchObject({
            code: 'wrong_state',
          });
          await expect(as(w.as.viewer).runs.list({ appId: w.app.development.id })).rejects.toMatchObject({
            code: 'not_available',
          });
          await expect(as(w.as.outsider).runs.list({ appId: w.app.development.id })).rejects.toMatchObject({
            code: 'forbidden',
          });
        } finally {
          await plain.close();
        }
      });
    });
  });
}
