// What the sections share: the stack, the engine (SDK + Temporal gateway + in-process worker),
// the main app with two releases to roll between, and the bare baseline's own site and container.
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { appPaths, containerName, PORT_LABEL } from '@cloudwady/activities';
import type { Release } from '@cloudwady/sdk';
import type { Stack } from '@cloudwady/testing';
import { createStackApp, type LocalEngine, resultOf } from '../support/local.js';
import {
  type BareRelease,
  bareRunArgv,
  bareSite,
  freeLoopbackPort,
  removeBenchContainers,
  run,
  stopAndRemove,
  waitHealthyByHand,
} from './bare.js';
import { removeAppsByHand, terminateRuns } from './cleanup.js';
import type { BenchOptions } from './options.js';
import { timed } from './stats.js';

export type StackApp = Awaited<ReturnType<typeof createStackApp>>;

export interface MainApp extends StackApp {
  /** The first deploy (cold: its image is built), timed. */
  firstDeployMs: number;
  /** Two releases with different images: rollbacks go from one to the other. */
  releases: [Release, Release];
}

export interface BareSetup {
  domain: string;
  siteFile: string;
  /** The container serving the bare site now. */
  serving: BareRelease;
  /** Runs by hand what a rollback does: run the release, health, site + reload, stop the old one. */
  rollbackTo(release: Release): Promise<void>;
}

export class BenchContext {
  private main: Promise<MainApp> | null = null;
  private bare: Promise<BareSetup> | null = null;
  private bareCount = 0;
  /** Apps made by the bench, destroyed at the end. */
  readonly apps: StackApp[] = [];

  constructor(
    readonly stack: Stack,
    readonly engine: LocalEngine,
    readonly options: BenchOptions,
    /** Tags what this run starts by hand (containers, site file). */
    readonly benchId: string,
    readonly log: (line: string) => void,
  ) {}

  async newApp(): Promise<StackApp> {
    const app = await createStackApp(this.engine, this.stack);
    this.apps.push(app);
    return app;
  }

  /** The main app, deployed twice (second time from a new commit, so with a new image). */
  mainApp(): Promise<MainApp> {
    this.main ??= (async () => {
      const app = await this.newApp();
      this.log(`deploying ${app.app.name} (first deploy builds its image) ...`);
      const first = await timed(async () => resultOf(this.engine, await app.ada.apps.deploy(app.app.id)));
      await app.repository.commit('Docs only', { 'README.md': 'Shop addons\n' });
      await resultOf(this.engine, await app.ada.apps.update(app.app.id));
      const releases = await app.ada.releases.list(app.app.id);
      const [a, b] = [...releases].sort((x, y) => (x.createdAt < y.createdAt ? -1 : 1));
      if (!a || !b || a.image === b.image) throw new Error('expected two releases with different images');
      return { ...app, firstDeployMs: first.ms, releases: [a, b] };
    })();
    return this.main;
  }

  /** The main app if a section already made it (nothing is deployed for asking). */
  async mainIfMade(): Promise<MainApp | null> {
    return this.main ? this.main.catch(() => null) : null;
  }

  /** The app's loopback port of its current release container (read from Docker, as an operator would). */
  async currentContainer(main: MainApp): Promise<{ name: string; port: number; release: Release }> {
    const release = await main.ada.releases.current(main.app.id);
    if (!release) throw new Error(`${main.app.name} has no current release`);
    const name = containerName(main.app.id, release.id);
    const format = `{{index .Config.Labels "${PORT_LABEL}"}}`;
    const port = Number((await run(['docker', 'container', 'inspect', '--format', format, name])).trim());
    return { name, port, release };
  }

  /** Starts a release's container by hand on a free port; returns once it answers /web/health. */
  private async runByHand(main: MainApp, release: Release): Promise<BareRelease> {
    const paths = appPaths(this.engine.hosting, main.app.id);
    const port = await freeLoopbackPort();
    const container = `cwbench-${this.benchId}-${++this.bareCount}`;
    await run(
      bareRunArgv({
        name: container,
        benchId: this.benchId,
        releaseId: release.id,
        image: release.image,
        configPath: paths.configPath(release.id),
        dataDir: paths.dataDir,
        port,
      }),
    );
    await waitHealthyByHand(port, this.options.healthIntervalMs);
    return { container, port, releaseId: release.id };
  }

  /** The bare site (its own domain, so the app's site is never touched) serving the current release. */
  bareSetup(): Promise<BareSetup> {
    this.bare ??= (async () => {
      const main = await this.mainApp();
      const { release } = await this.currentContainer(main);
      const domain = `bare-${main.app.name}.localhost`;
      const siteFile = join(this.stack.nginx.sitesDir, `cwbench-${this.benchId}.conf`);
      const route = async (to: BareRelease) => {
        await writeFile(siteFile, bareSite(this.stack, main.app.id, domain, to.port), { mode: 0o644 });
        await run(this.stack.nginx.reloadArgv);
      };
      const setup: BareSetup = {
        domain,
        siteFile,
        serving: await this.runByHand(main, release),
        rollbackTo: async (target) => {
          const previous = setup.serving;
          const next = await this.runByHand(main, target);
          await route(next);
          await stopAndRemove(previous.container);
          setup.serving = next;
        },
      };
      await route(setup.serving);
      return setup;
    })();
    return this.bare;
  }

  /** Removes the bare site, the bench's own containers, and every app it made (see cleanup.ts). */
  async cleanUp(): Promise<void> {
    if (this.bare) {
      const bare = await this.bare.catch(() => null);
      if (bare) await rm(bare.siteFile, { force: true });
    }
    await removeBenchContainers(this.benchId);
    const appIds = this.apps.map((a) => a.app.id);
    const terminated = await terminateRuns(this.engine.gateway.client, appIds);
    if (terminated > 0) this.log(`cleanup: terminated ${terminated} running workflows`);
    await removeAppsByHand(this.stack, appIds);
    const repositories = new Set(this.apps.map((a) => a.repository.path));
    for (const path of repositories) await rm(path, { recursive: true, force: true });
  }
}
