// PostgreSQL client commands as argv (plus stdin for SQL). Database and role names are plain
// argv elements after `--` or option values; inside SQL they are never spliced into the text:
// psql variables (`--set db=...`, then `:'db'` / `:"db"` in the script) quote them.
import * as v from './validate.js';

export interface PgConnection {
  /** Host name, IP or the socket directory (absolute path). */
  host: string;
  port: number;
  user: string;
  /** A .pgpass file on the host (mode 0600): the password never appears in argv. */
  passfile?: string;
}

/** A command with input: run `argv`, write `stdin` to it. */
export interface CommandWithInput {
  argv: string[];
  stdin: string;
}

/** Odoo's own rule for database names (letters, digits, '_', '.', '-'), at most 63 bytes. */
export function databaseName(field: string, value: unknown): string {
  const text = v.requireString(field, value);
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/.test(text)) {
    throw new v.CommandInputError(field, 'must match [A-Za-z0-9][A-Za-z0-9_.-]{0,62}', text);
  }
  return text;
}

export function roleName(field: string, value: unknown): string {
  const text = v.requireString(field, value);
  if (!/^[A-Za-z_][A-Za-z0-9_.-]{0,62}$/.test(text)) {
    throw new v.CommandInputError(field, 'must match [A-Za-z_][A-Za-z0-9_.-]{0,62}', text);
  }
  return text;
}

/** `env PGPASSFILE=... <tool> --host H --port P --username U --no-password`. */
function tool(conn: PgConnection, name: string): string[] {
  const host = conn.host.startsWith('/') ? v.absolutePath('host', conn.host) : v.hostname('host', conn.host);
  return [
    ...(conn.passfile === undefined
      ? []
      : ['env', `PGPASSFILE=${v.absolutePath('passfile', conn.passfile)}`]),
    name,
    '--host',
    host,
    '--port',
    String(v.port('port', conn.port)),
    '--username',
    roleName('user', conn.user),
    // Never wait for a password prompt on a remote host with nobody to answer it.
    '--no-password',
  ];
}

export function createDatabase(
  conn: PgConnection,
  database: string,
  { owner, template = 'template0' }: { owner?: string; template?: string } = {},
): string[] {
  return [
    ...tool(conn, 'createdb'),
    '--template',
    databaseName('template', template),
    '--encoding',
    'UTF8',
    ...(owner === undefined ? [] : ['--owner', roleName('owner', owner)]),
    '--',
    databaseName('database', database),
  ];
}

/** Drop a database if it exists, disconnecting its sessions (PostgreSQL 13+ `--force`). */
export function dropDatabase(conn: PgConnection, database: string): string[] {
  return [...tool(conn, 'dropdb'), '--if-exists', '--force', '--', databaseName('database', database)];
}

/** pg_dump in custom format (compressed, restorable with pg_restore), owners left out. */
export function dumpDatabase(
  conn: PgConnection,
  database: string,
  { outputPath }: { outputPath?: string } = {},
): string[] {
  return [
    ...tool(conn, 'pg_dump'),
    '--format=custom',
    '--no-owner',
    '--no-privileges',
    ...(outputPath === undefined ? [] : ['--file', v.absolutePath('outputPath', outputPath)]),
    '--',
    databaseName('database', database),
  ];
}

/** pg_restore a custom-format dump into an existing (empty) database. */
export function restoreDatabase(
  conn: PgConnection,
  database: string,
  inputPath: string,
  { jobs = 1 }: { jobs?: number } = {},
): string[] {
  return [
    ...tool(conn, 'pg_restore'),
    '--dbname',
    databaseName('database', database),
    '--no-owner',
    '--no-privileges',
    '--exit-on-error',
    '--jobs',
    String(v.integer('jobs', jobs, 1, 64)),
    '--',
    v.absolutePath('inputPath', inputPath),
  ];
}

/**
 * Run `sql` with psql against `database`; `variables` become psql variables that the script
 * uses quoted (`:'name'` for a literal, `:"name"` for an identifier). Stops at the first error.
 */
export function psql(
  conn: PgConnection,
  database: string,
  sql: string,
  variables: Record<string, string> = {},
): CommandWithInput {
  const sets = Object.entries(variables)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .flatMap(([name, value]) => [
      '--set',
      `${v.envName('variable name', name)}=${v.noNul(`variable ${name}`, value)}`,
    ]);
  return {
    argv: [
      ...tool(conn, 'psql'),
      '--no-psqlrc',
      '--quiet',
      '--tuples-only',
      '--no-align',
      '--set',
      'ON_ERROR_STOP=1',
      ...sets,
      '--dbname',
      databaseName('database', database),
    ],
    stdin: v.noNul('sql', sql),
  };
}

/** Prints `1` when the database exists, nothing otherwise. */
export function databaseExists(conn: PgConnection, database: string): CommandWithInput {
  return psql(conn, 'postgres', "SELECT 1 FROM pg_database WHERE datname = :'db';\n", {
    db: databaseName('database', database),
  });
}

/** Disconnect every session of a database (before a restore or a rename). */
export function terminateConnections(conn: PgConnection, database: string): CommandWithInput {
  return psql(
    conn,
    'postgres',
    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = :'db' AND pid <> pg_backend_pid();\n",
    { db: databaseName('database', database) },
  );
}

export function renameDatabase(conn: PgConnection, from: string, to: string): CommandWithInput {
  return psql(conn, 'postgres', 'ALTER DATABASE :"from_db" RENAME TO :"to_db";\n', {
    from_db: databaseName('from', from),
    to_db: databaseName('to', to),
  });
}
