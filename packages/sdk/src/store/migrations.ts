// Versioned schema migrations. Each runs in its own transaction together with its row in
// `schema_migrations`, under a lock, so machines starting at the same time apply it once.
// Never edit a released migration: add the next number.
import { OperationFailedError } from '../errors.js';
import type { Driver } from './driver.js';

export interface Migration {
  version: number;
  name: string;
  statements: string[];
}

// Portable SQL only: TEXT ids and ISO timestamps, INTEGER 0/1 booleans, JSON as TEXT, BIGINT
// sizes. Partial unique indexes hold the "exactly one per app" rules in both databases.
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'platform records',
    statements: [
      `CREATE TABLE projects (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        repository_url TEXT NOT NULL,
        access_policy TEXT,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      )`,
      `CREATE TABLE members (
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        user_id TEXT NOT NULL,
        name TEXT,
        role TEXT NOT NULL,
        added_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (project_id, user_id)
      )`,
      'CREATE INDEX members_by_user ON members(user_id)',
      `CREATE TABLE environments (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        auto_update INTEGER NOT NULL,
        auto_deploy INTEGER NOT NULL,
        auto_delete INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (project_id, name),
        CHECK (type <> 'production' OR auto_delete = 0)
      )`,
      `CREATE TABLE servers (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        ssh_host TEXT NOT NULL,
        ssh_port INTEGER NOT NULL,
        ssh_username TEXT NOT NULL,
        ssh_private_key TEXT NOT NULL,
        docker_socket_path TEXT NOT NULL,
        labels TEXT NOT NULL,
        proxy TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (project_id, name)
      )`,
      `CREATE TABLE apps (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        environment_id TEXT NOT NULL REFERENCES environments(id),
        server_id TEXT NOT NULL REFERENCES servers(id),
        name TEXT NOT NULL,
        odoo_version TEXT NOT NULL,
        engine TEXT NOT NULL,
        edition TEXT NOT NULL,
        state TEXT NOT NULL,
        deployment_note TEXT NOT NULL,
        database_name TEXT NOT NULL,
        admin_password TEXT NOT NULL,
        admin_password_staged TEXT,
        automation TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (project_id, name)
      )`,
      'CREATE INDEX apps_by_environment ON apps(environment_id)',
      'CREATE INDEX apps_by_server ON apps(server_id)',
      `CREATE TABLE app_configs (
        app_id TEXT PRIMARY KEY REFERENCES apps(id) ON DELETE CASCADE,
        applied TEXT NOT NULL,
        applied_at TEXT NOT NULL,
        staged TEXT,
        staged_by TEXT,
        staged_at TEXT
      )`,
      `CREATE TABLE branches (
        id TEXT PRIMARY KEY,
        app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
        repository TEXT NOT NULL,
        name TEXT NOT NULL,
        commit_sha TEXT,
        is_main INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (app_id, repository, name)
      )`,
      'CREATE UNIQUE INDEX branches_one_main ON branches(app_id) WHERE is_main = 1',
      `CREATE TABLE urls (
        id TEXT PRIMARY KEY,
        app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
        domain TEXT NOT NULL UNIQUE,
        is_primary INTEGER NOT NULL,
        ssl_provider TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      )`,
      'CREATE UNIQUE INDEX urls_one_primary ON urls(app_id) WHERE is_primary = 1',
      `CREATE TABLE releases (
        id TEXT PRIMARY KEY,
        app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
        fingerprint TEXT NOT NULL,
        image TEXT NOT NULL,
        commit_sha TEXT NOT NULL,
        config_hash TEXT NOT NULL,
        is_current INTEGER NOT NULL,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL
      )`,
      'CREATE UNIQUE INDEX releases_one_current ON releases(app_id) WHERE is_current = 1',
      `CREATE TABLE backups (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
        server_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        status TEXT NOT NULL,
        database_size BIGINT,
        filestore_size BIGINT,
        storage_key TEXT,
        note TEXT NOT NULL,
        error TEXT,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        completed_at TEXT,
        expires_at TEXT
      )`,
      'CREATE INDEX backups_by_app ON backups(app_id, created_at)',
      `CREATE TABLE restorations (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        backup_id TEXT NOT NULL,
        source_app_id TEXT NOT NULL,
        source_server_id TEXT NOT NULL,
        target_app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
        target_server_id TEXT NOT NULL,
        status TEXT NOT NULL,
        neutralize INTEGER NOT NULL,
        error TEXT,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        completed_at TEXT
      )`,
      'CREATE INDEX restorations_by_target ON restorations(target_app_id, created_at)',
    ],
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);

/** Tables holding platform records, in an order safe for deletes (children first). */
export const RECORD_TABLES = [
  'restorations',
  'backups',
  'releases',
  'urls',
  'branches',
  'app_configs',
  'apps',
  'servers',
  'environments',
  'members',
  'projects',
] as const;

const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL
)`;

/** Applies pending migrations; returns the versions it applied. */
export async function migrate(
  driver: Driver,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  const applied: number[] = [];
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    const ran = await driver.transaction(async (tx) => {
      await driver.lockMigrations(tx);
      await tx.run(CREATE_MIGRATIONS_TABLE);
      const newest = await tx.get<{ version: number | null }>(
        'SELECT MAX(version) AS version FROM schema_migrations',
      );
      if (newest?.version != null && Number(newest.version) > latest) {
        throw new OperationFailedError(
          `The database schema is at version ${newest.version}, newer than this SDK knows (${latest}): upgrade @cloudwady/sdk.`,
          { schemaVersion: Number(newest.version), sdkSchemaVersion: latest },
        );
      }
      const done = await tx.get('SELECT version FROM schema_migrations WHERE version = ?', [
        migration.version,
      ]);
      if (done) return false;
      for (const statement of migration.statements) await tx.run(statement);
      await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [
        migration.version,
        migration.name,
        new Date().toISOString(),
      ]);
      return true;
    });
    if (ran) applied.push(migration.version);
  }
  return applied;
}
