// The SDK entry point: `CloudWady.connect(options)` opens the store and returns a client;
// `client.as(actor)` returns the same API acting for that user (every call is checked for them).
import { type ActorRef, asCloudWadyError, type Context, parse, type Shared } from './context.js';
import { type ConnectOptions, resolveOptions } from './options.js';
import { type AccessResource, accessResource } from './resources/access.js';
import { type AppsResource, appsResource } from './resources/apps.js';
import { type BackupsResource, backupsResource } from './resources/backups.js';
import { type BranchesResource, branchesResource } from './resources/branches.js';
import { type EngineResource, engineResource } from './resources/engine.js';
import { type EnvironmentsResource, environmentsResource } from './resources/environments.js';
import { type MembersResource, membersResource } from './resources/members.js';
import { type ProjectsResource, projectsResource } from './resources/projects.js';
import { type ReleasesResource, releasesResource } from './resources/releases.js';
import { type RestorationsResource, restorationsResource } from './resources/restorations.js';
import { type RunsResource, runsResource } from './resources/runs.js';
import { type ServersResource, serversResource } from './resources/servers.js';
import { type UrlsResource, urlsResource } from './resources/urls.js';
import { type Actor, actorSchema } from './schemas/common.js';
import { SecretBox } from './secrets.js';
import type { StoreKind } from './store/driver.js';
import { openStore } from './store/index.js';

export class CloudWadyClient {
  /** Who the calls are made for; null on the client `connect` returns. */
  readonly actor: Readonly<ActorRef> | null;
  readonly projects: ProjectsResource;
  readonly environments: EnvironmentsResource;
  readonly servers: ServersResource;
  readonly apps: AppsResource;
  readonly branches: BranchesResource;
  readonly urls: UrlsResource;
  readonly releases: ReleasesResource;
  readonly backups: BackupsResource;
  readonly restorations: RestorationsResource;
  readonly members: MembersResource;
  readonly access: AccessResource;
  readonly runs: RunsResource;
  /** Records side of operations, for the operations engine only (no actor, no access checks). */
  readonly engine: EngineResource;
  readonly #shared: Shared;

  /** @internal Use CloudWady.connect, then client.as(actor). */
  constructor(shared: Shared, actor: ActorRef | null) {
    this.#shared = shared;
    this.actor = actor && Object.freeze({ ...actor });
    const ctx: Context = { ...shared, actor: this.actor };
    this.projects = projectsResource(ctx);
    this.environments = environmentsResource(ctx);
    this.servers = serversResource(ctx);
    this.apps = appsResource(ctx);
    this.branches = branchesResource(ctx);
    this.urls = urlsResource(ctx);
    this.releases = releasesResource(ctx);
    this.backups = backupsResource(ctx);
    this.restorations = restorationsResource(ctx);
    this.members = membersResource(ctx);
    this.access = accessResource(ctx);
    this.runs = runsResource(ctx);
    this.engine = engineResource(shared);
  }

  /** The same API acting for `actor`: every call is checked against this user's role. */
  as(actor: Actor): CloudWadyClient {
    const fields = parse(actorSchema, actor, 'actor');
    return new CloudWadyClient(this.#shared, fields.name === undefined ? { userId: fields.userId } : fields);
  }

  /** "sqlite" or "postgres". */
  get storeKind(): StoreKind {
    return this.#shared.db.kind;
  }

  /** Closes the store connection (shared by every client made with `as`). */
  async close(): Promise<void> {
    try {
      await this.#shared.db.close();
    } catch (error) {
      throw asCloudWadyError(error);
    }
  }

  toJSON(): { actor: ActorRef | null; store: StoreKind } {
    return { actor: this.actor, store: this.#shared.db.kind };
  }
}

export const CloudWady = {
  /**
   * Opens the store (migrating it), then returns a client. Options come from code or from
   * CLOUDWADY_DATABASE_URL / CLOUDWADY_SECRET_KEY; a bad option is a ValidationError.
   */
  async connect(options: ConnectOptions = {}): Promise<CloudWadyClient> {
    try {
      const resolved = resolveOptions(options);
      const db = await openStore(resolved.store);
      return new CloudWadyClient(
        {
          db,
          box: new SecretBox(resolved.secretKey),
          defaultPolicy: resolved.accessPolicy,
          operations: resolved.operations,
        },
        null,
      );
    } catch (error) {
      throw asCloudWadyError(error);
    }
  },
};
