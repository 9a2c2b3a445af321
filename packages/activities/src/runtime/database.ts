// Whether a database exists, asked with psql from a one-off container of the app's image (Odoo
// images carry postgresql-client), on the host network like Odoo itself. The database name
// reaches SQL only as a psql variable (`:'db'`, quoted by psql) fed through stdin, since psql
// does not interpolate variables in -c; the password travels in the container's environment,
// never in argv or logs.
import { createHash } from 'node:crypto';
import {
  databaseExists as databaseExistsCommand,
  dropDatabase as dropDatabaseCommand,
} from '../commands/postgres.js';
import { HostCommandError } from '../host/errors.js';
import type { HostServer } from '../host/server.js';
import { serverLabel } from '../host/server.js';
import type { RuntimeOptions } from './containers.js';
import { runContainerOnce } from './once.js';
import { commandOnceRequest } from './requests.js';

export interface DatabaseServer {
  host: string;
  port: number;
  user: string;
  password: string;
}

export interface DatabaseExistsInput {
  /** An image with psql (the app's Odoo image). */
  image: string;
  db: DatabaseServer;
  /** The database to look for. */
  name: string;
}

/** Runs a PostgreSQL client argv once in a container of `image` (which has psql and friends). */
async function runPostgresOnce(
  server: HostServer,
  input: { image: string; db: DatabaseServer; name: string; command: { argv: string[]; stdin?: string } },
  { pool }: RuntimeOptions,
) {
  const { host, port, password } = input.db;
  // Deterministic, like every one-off run: a leftover of a crashed worker is replaced, not
  // piled up. (Runs against one database do not overlap: its app's operations are queued.)
  const target = createHash('sha256').update(`${host}:${port}/${input.name}`).digest('hex').slice(0, 16);
  const name = `cw-psql-${target}`;
  const body = commandOnceRequest({
    name,
    image: input.image,
    argv: input.command.argv,
    env: { PGPASSWORD: password, PGCONNECT_TIMEOUT: '10' },
    stdin: input.command.stdin !== undefined,
  });
  const result = await runContainerOnce(
    server,
    { ...body, name },
    {
      ...(input.command.stdin === undefined ? {} : { stdin: input.command.stdin }),
      ...(pool ? { pool } : {}),
    },
  );
  if (result.exitCode !== 0) {
    throw new HostCommandError(
      serverLabel(server),
      input.command.argv,
      'exit',
      result.exitCode,
      null,
      result.stderr,
    );
  }
  return result;
}

export async function databaseExists(
  server: HostServer,
  input: DatabaseExistsInput,
  options: RuntimeOptions = {},
): Promise<boolean> {
  const { host, port, user } = input.db;
  const command = databaseExistsCommand({ host, port, user }, input.name);
  const result = await runPostgresOnce(server, { ...input, command }, options);
  return result.stdout.trim() === '1';
}

/** Drops the database (Destroy); a missing one is already gone. */
export async function dropDatabase(
  server: HostServer,
  input: DatabaseExistsInput,
  options: RuntimeOptions = {},
) {
  const { host, port, user } = input.db;
  const command = { argv: dropDatabaseCommand({ host, port, user }, input.name) };
  await runPostgresOnce(server, { ...input, command }, options);
}
