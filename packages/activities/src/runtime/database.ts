// Whether a database exists, asked with psql from a one-off container of the app's image (Odoo
// images carry postgresql-client), on the host network like Odoo itself. The database name
// reaches SQL only as a psql variable (`:'db'`, quoted by psql) fed through stdin, since psql
// does not interpolate variables in -c; the password travels in the container's environment,
// never in argv or logs.
import { createHash } from 'node:crypto';
import { databaseExists as databaseExistsCommand } from '../commands/postgres.js';
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

export async function databaseExists(
  server: HostServer,
  input: DatabaseExistsInput,
  { pool }: RuntimeOptions = {},
): Promise<boolean> {
  const { host, port, user, password } = input.db;
  const command = databaseExistsCommand({ host, port, user }, input.name);
  // Deterministic, like every one-off run: a leftover of a crashed worker is replaced, not
  // piled up. (Checks of one database do not overlap: its app's operations are queued.)
  const target = createHash('sha256').update(`${host}:${port}/${input.name}`).digest('hex').slice(0, 16);
  const name = `cw-psql-${target}`;
  const body = commandOnceRequest({
    name,
    image: input.image,
    argv: command.argv,
    env: { PGPASSWORD: password, PGCONNECT_TIMEOUT: '10' },
    stdin: true,
  });
  const result = await runContainerOnce(
    server,
    { ...body, name },
    { stdin: command.stdin, ...(pool ? { pool } : {}) },
  );
  if (result.exitCode !== 0) {
    throw new HostCommandError(
      serverLabel(server),
      command.argv,
      'exit',
      result.exitCode,
      null,
      result.stderr,
    );
  }
  return result.stdout.trim() === '1';
}
