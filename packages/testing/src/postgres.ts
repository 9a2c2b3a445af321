// PostgreSQL: the stack's own cluster in <stateDir>/postgres, on 127.0.0.1 only, with a superuser
// `cloudwady` whose generated password is kept in the state dir (scram-sha-256 everywhere).
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { osUser, run } from './command.js';
import { findExecutable, startDaemon, waitFor } from './process.js';
import type { StackSettings } from './settings.js';
import type { PostgresEndpoint } from './types.js';

const SUPERUSER = 'cloudwady';
const OS_USER = 'postgres';
const INSTALL = 'apt-get install postgresql';

export interface PostgresFiles {
  dir: string;
  data: string;
  socketDir: string;
  passwordFile: string;
}

export function postgresFiles(stateDir: string): PostgresFiles {
  const dir = join(stateDir, 'postgres');
  return {
    dir,
    data: join(dir, 'data'),
    socketDir: join(dir, 'socket'),
    passwordFile: join(dir, 'password'),
  };
}

/** Only loopback TCP, and scram for every login (the socket too: tests log in with the password). */
export const PG_HBA = ['local all all scram-sha-256', 'host all all 127.0.0.1/32 scram-sha-256', ''].join(
  '\n',
);

export function postgresArgv(postgres: string, port: number, files: PostgresFiles): string[] {
  return [
    postgres,
    '-D',
    files.data,
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    `port=${port}`,
    '-c',
    `unix_socket_directories=${files.socketDir}`,
  ];
}

export function postgresEndpoint(port: number, password: string): PostgresEndpoint {
  const host = '127.0.0.1';
  const database = 'postgres';
  return {
    host,
    port,
    user: SUPERUSER,
    password,
    database,
    url: `postgres://${SUPERUSER}:${encodeURIComponent(password)}@${host}:${port}/${database}`,
  };
}

/** The generated superuser password, created on first use (0600, root only). */
export async function postgresPassword(files: PostgresFiles): Promise<string> {
  if (existsSync(files.passwordFile)) return (await readFile(files.passwordFile, 'utf8')).trim();
  await mkdir(files.dir, { recursive: true, mode: 0o755 });
  const password = randomBytes(18).toString('base64url');
  await writeFile(files.passwordFile, `${password}\n`, { mode: 0o600, flag: 'wx' });
  return password;
}

/** A real login and query. */
export async function postgresAnswers(endpoint: PostgresEndpoint): Promise<boolean> {
  const client = new pg.Client({ connectionString: endpoint.url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    const result = await client.query<{ ok: number }>('select 1 as ok');
    return result.rows[0]?.ok === 1;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Newest installed major version's binaries (Debian: /usr/lib/postgresql/<major>/bin). */
async function findPostgresBin(): Promise<string> {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root) ? (await readdir(root)).sort((a, b) => Number(b) - Number(a)) : [];
  const initdb = await findExecutable(
    'PostgreSQL (initdb)',
    majors.map((major) => join(root, major, 'bin', 'initdb')),
    INSTALL,
  );
  return join(initdb, '..');
}

/** initdb into a scratch dir then rename, so a failed initdb never leaves a half cluster behind. */
async function initCluster(
  bin: string,
  files: PostgresFiles,
  password: string,
  owner: { uid: number; gid: number },
) {
  const scratch = `${files.data}.initdb`;
  const passwordFile = join(files.dir, '.initdb-password');
  await rm(scratch, { recursive: true, force: true });
  await mkdir(scratch, { mode: 0o700 });
  await chown(scratch, owner.uid, owner.gid);
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  await chown(passwordFile, owner.uid, owner.gid);
  try {
    await run([
      'runuser',
      '-u',
      OS_USER,
      '--',
      join(bin, 'initdb'),
      '-D',
      scratch,
      '-U',
      SUPERUSER,
      `--pwfile=${passwordFile}`,
      '--auth=scram-sha-256',
      '--encoding=UTF8',
      '--locale=C.UTF-8',
      '--no-instructions',
    ]);
  } finally {
    await rm(passwordFile, { force: true });
  }
  await writeFile(join(scratch, 'pg_hba.conf'), PG_HBA);
  await chown(join(scratch, 'pg_hba.conf'), owner.uid, owner.gid);
  await rename(scratch, files.data);
}

export async function ensurePostgres(settings: StackSettings): Promise<PostgresEndpoint> {
  const { stateDir, ports, log } = settings;
  const files = postgresFiles(stateDir);
  const endpoint = postgresEndpoint(ports.postgres, await postgresPassword(files));
  const where = `PostgreSQL on 127.0.0.1:${ports.postgres}`;
  if (await postgresAnswers(endpoint).catch(() => false)) {
    log(`PostgreSQL: reusing ${where}`);
    return endpoint;
  }
  const bin = await findPostgresBin();
  const owner = await osUser(OS_USER, INSTALL);
  // The cluster runs as `postgres`, which must reach its files (root's 0700 home is out of reach).
  await run(['runuser', '-u', OS_USER, '--', 'test', '-x', files.dir]).catch(() => {
    throw new Error(
      `${files.dir} is out of the postgres OS user's reach (a parent directory is private): ` +
        'set CLOUDWADY_STACK_DIR to a directory every user can enter, e.g. /var/lib/cloudwady/stack',
    );
  });
  if (!existsSync(join(files.data, 'PG_VERSION'))) {
    log(`PostgreSQL: creating the cluster in ${files.data} (once) ...`);
    await initCluster(bin, files, endpoint.password, owner);
  }
  await mkdir(files.socketDir, { recursive: true });
  await chmod(files.socketDir, 0o755);
  await chown(files.socketDir, owner.uid, owner.gid);
  log(`PostgreSQL: starting ${where} ...`);
  const daemon = await startDaemon({
    stateDir,
    name: 'postgres',
    argv: postgresArgv(join(bin, 'postgres'), ports.postgres, files),
    uid: owner.uid,
    gid: owner.gid,
    env: { ...process.env, HOME: files.dir },
  });
  await waitFor(() => postgresAnswers(endpoint), {
    what: where,
    timeoutMs: 60_000,
    daemon,
    logFile: daemon.logFile,
    fix: `check the log; is port ${ports.postgres} taken? (override with CLOUDWADY_PORT_POSTGRES)`,
  });
  return endpoint;
}
