// The activities of app operations: each loads what it needs from the platform's records (keys
// and passwords included, so they never pass through workflow history), acts on the app's server
// through the host layer, and is safe to run twice.

import { createHash } from 'node:crypto';
import { type Deployment, type EngineResource, renderOdooConf, Secret } from '@cloudwady/sdk';
import { Context } from '@temporalio/activity';
import { changedModules, ensureImage, listModules, syncSource } from '../build/index.js';
import { dockerFor } from '../host/docker.js';
import { runChecked } from '../host/exec.js';
import {
  databaseExists,
  dropDatabase,
  ensureReleaseContainer,
  removeAppContainers,
  restartReleaseContainer,
  routeApp,
  runOdooOnce,
  stopReleaseContainer,
  unrouteApp,
  waitHealthy,
  writeReleaseConfig,
} from '../runtime/index.js';
import type { AppFacts, OperationActivities, ReleaseFacts } from './contract.js';
import { appPaths, type HostingOptions, hostServer } from './hosting.js';
import { selectModules } from './modules.js';
import { asFailure, OdooRunError, StepLog } from './step-log.js';

const signal = () => Context.current().cancellationSignal;
const heartbeat = () => Context.current().heartbeat();

const releaseFacts = (release: Deployment['currentRelease']): ReleaseFacts | null =>
  release && {
    releaseId: release.id,
    image: release.image,
    fingerprint: release.fingerprint,
    commitSha: release.commitSha,
    configHash: release.configHash,
  };

export function operationActivities(engine: EngineResource, hosting: HostingOptions): OperationActivities {
  const listen = {
    ...(hosting.proxyListenPort ? { listenPort: hosting.proxyListenPort } : {}),
    ...(hosting.proxyListenAddress ? { listenAddress: hosting.proxyListenAddress } : {}),
  };
  /** The app's records and its server, loaded fresh for every activity (a retry sees the truth). */
  async function load(appId: string) {
    const deployment = await engine.loadDeployment(appId);
    return { deployment, server: await hostServer(engine, deployment), paths: appPaths(hosting, appId) };
  }

  const mainBranch = (deployment: Deployment) => {
    const branch = deployment.branches.find((b) => b.isMain);
    if (!branch)
      throw Object.assign(new Error(`App ${deployment.app.id} has no main branch: add one, then deploy.`), {
        userError: true,
      });
    return branch;
  };

  /** Runs odoo once with the release's image and config; a non-zero exit is a user error. */
  async function odooOnce(appId: string, releaseId: string, image: string, args: string[], log: StepLog) {
    const { server, paths } = await load(appId);
    const result = await runOdooOnce(server, {
      appId,
      releaseId,
      image,
      configPath: paths.configPath(releaseId),
      dataDir: paths.dataDir,
      args,
      onOutput: log.add,
      heartbeat,
      signal: signal(),
    });
    if (result.exitCode !== 0) {
      throw new OdooRunError(
        `odoo ${args.join(' ')} exited with ${result.exitCode}: ${result.output.slice(-3).join(' | ')}`,
      );
    }
  }

  /** Every activity reports user errors as non-retryable failures with the step's log. */
  const guarded =
    <A, R>(run: (input: A, log: StepLog) => Promise<R>) =>
    async (input: A): Promise<R> => {
      const log = new StepLog();
      try {
        return await log.during(() => run(input, log));
      } catch (error) {
        throw asFailure(error, log);
      }
    };

  return {
    loadApp: guarded(async ({ appId }): Promise<AppFacts> => {
      const d = await engine.loadDeployment(appId);
      return {
        appId,
        projectId: d.project.id,
        serverId: d.server.id,
        databaseName: d.config.applied.databaseName,
        current: releaseFacts(d.currentRelease),
        maintenance: false,
      };
    }),

    loadRelease: guarded(async ({ appId, releaseId }) => {
      const release = await engine.release(appId, releaseId);
      return releaseFacts(release) as ReleaseFacts;
    }),

    setAppState: guarded(async ({ appId, state, note }) => {
      await engine.transitionApp(appId, { to: state as never });
      if (note) Context.current().log.info(note, { appId, state });
    }),

    fetchSource: guarded(async ({ appId }, log) => {
      const { deployment, server, paths } = await load(appId);
      const branch = mainBranch(deployment);
      const { commitSha } = await syncSource(server, {
        appDir: paths.appDir,
        repository: branch.repository,
        branch: branch.name,
        signal: signal(),
        onOutput: log.add,
      });
      await engine.setBranchSha(branch.id, commitSha);
      return { repository: branch.repository, branch: branch.name, commitSha, log: log.lines() };
    }),

    changedModules: guarded(async ({ appId, from, to }) => {
      const { deployment, server, paths } = await load(appId);
      const changed = await changedModules(server, { appDir: paths.appDir, from, to, signal: signal() });
      return selectModules(changed, deployment.automation);
    }),

    buildImage: guarded(async ({ appId, commitSha }, log) => {
      const { deployment, server, paths } = await load(appId);
      const { app, config } = deployment;
      const baseImage = hosting.baseImages[app.odooVersion];
      if (!baseImage) {
        throw Object.assign(
          new Error(`This worker has no base image for Odoo ${app.odooVersion}: add it to baseImages.`),
          {
            userError: true,
          },
        );
      }
      const image = await ensureImage(server, {
        appId,
        appDir: paths.appDir,
        commitSha,
        baseImage,
        systemPackages: config.applied.additionalSystemPackages,
        buildConfig: { odooVersion: app.odooVersion, edition: app.edition },
        forcePullTemplate: config.applied.forcePullTemplate,
        onOutput: log.add,
        heartbeat,
        signal: signal(),
      });
      return { ...image, log: log.lines() };
    }),

    writeReleaseConfig: guarded(async ({ appId, releaseId, applyStaged }) => {
      if (applyStaged) await engine.promoteStagedConfig(appId);
      const { deployment, server, paths } = await load(appId);
      const content = renderOdooConf(deployment.app, deployment.config.applied, {
        adminPassword: await engine.adminPassword(appId, 'applied'),
        database: { ...hosting.database, password: new Secret(hosting.database.password) },
      });
      await writeReleaseConfig(server, { path: paths.configPath(releaseId), content });
      // The hash names the configuration, not its secrets' values, so it may be shown.
      const configHash = createHash('sha256').update(content).digest('hex');
      return { configHash };
    }),

    initDatabase: guarded(async ({ appId, releaseId, image, commitSha }, log) => {
      const { deployment, server, paths } = await load(appId);
      const name = deployment.config.applied.databaseName;
      if (await databaseExists(server, { image, db: hosting.database, name })) {
        return { created: false, installed: [], log: log.lines() };
      }
      const modules = deployment.automation.autoInstall
        ? selectModules(
            await listModules(server, { appDir: paths.appDir, commitSha, signal: signal() }),
            deployment.automation,
          )
        : [];
      const install = modules.length > 0 ? modules : ['base'];
      await odooOnce(
        appId,
        releaseId,
        image,
        ['-d', name, '-i', install.join(','), '--stop-after-init'],
        log,
      );
      return { created: true, installed: install, log: log.lines() };
    }),

    updateModules: guarded(async ({ appId, releaseId, image, modules }, log) => {
      const { deployment } = await load(appId);
      const name = deployment.config.applied.databaseName;
      await odooOnce(
        appId,
        releaseId,
        image,
        ['-d', name, '-u', modules.join(','), '--stop-after-init'],
        log,
      );
      return { log: log.lines() };
    }),

    startRelease: guarded(async ({ appId, releaseId, image }) => {
      const { deployment, server, paths } = await load(appId);
      return ensureReleaseContainer(server, {
        appId,
        releaseId,
        image,
        configPath: paths.configPath(releaseId),
        dataDir: paths.dataDir,
        gevent: deployment.config.applied.workers > 0,
        ...(hosting.portRange ? { portRange: hosting.portRange } : {}),
      });
    }),

    waitHealthy: guarded(async ({ appId, port }, log) => {
      const { server } = await load(appId);
      await waitHealthy(server, {
        port,
        timeoutMs: hosting.healthTimeoutMs ?? 120_000,
        signal: signal(),
        onAttempt: (attempt, status) => log.add(`/web/health attempt ${attempt}: ${status}`),
      });
      return { log: log.lines() };
    }),

    route: guarded(async ({ appId, to }) => {
      const { deployment, server, paths } = await load(appId);
      const domains = deployment.urls.map((url) => url.domain);
      // An app without URLs is reachable only on its loopback port: nothing to route.
      if (domains.length === 0) return;
      const { routing } = deployment.config.applied;
      await routeApp(server, {
        proxy: deployment.server.proxy,
        appId,
        domains,
        upstream: to === 'maintenance' ? 'maintenance' : { port: to.port, geventPort: to.geventPort },
        maintenanceDir: paths.maintenanceDir,
        ...listen,
        limits: { bodySize: routing.proxyBodySize, timeoutSeconds: routing.proxyReadTimeout },
      });
    }),

    restartRelease: guarded(async ({ appId, releaseId }) => {
      const { server } = await load(appId);
      return restartReleaseContainer(server, { appId, releaseId });
    }),

    stopRelease: guarded(async ({ appId, releaseId, remove }) => {
      const { server } = await load(appId);
      await stopReleaseContainer(server, { appId, releaseId, remove });
    }),

    recordRelease: guarded(async ({ appId, releaseId, facts, createdBy }) => {
      const { image, fingerprint, commitSha, configHash } = facts;
      await engine.recordRelease({
        id: releaseId,
        appId,
        image,
        fingerprint,
        commitSha,
        configHash,
        createdBy,
      });
    }),

    makeCurrent: guarded(async ({ appId, releaseId }) => {
      await engine.setCurrentRelease(appId, releaseId);
    }),

    removeInstance: guarded(async ({ appId, destroy }) => {
      const { deployment, server, paths } = await load(appId);
      // Unroute first: requests then get nginx's own answer, never a 502 from a removed container.
      await unrouteApp(server, { proxy: deployment.server.proxy, appId, ...listen });
      await removeAppContainers(server, appId);
      if (!destroy) return;
      const image = deployment.currentRelease?.image;
      if (image) {
        const name = deployment.config.applied.databaseName;
        await dropDatabase(server, { image, db: hosting.database, name });
      }
      const docker = dockerFor(server);
      const images = await docker.listImages({ filters: { label: [`org.cloudwady.app=${appId}`] } });
      for (const image of images) await docker.getImage(image.Id).remove({ force: true });
      await runChecked(server, ['rm', '-rf', '--', paths.appDir]);
      await engine.removeApp(appId);
    }),
  };
}
