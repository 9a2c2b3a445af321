import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CommandInputError, postgresCommands as pg } from '../src/commands/index.js';

const conn = { host: '127.0.0.1', port: 15432, user: 'odoo', passfile: '/srv/cw/acme/.pgpass' };
const prefix = ['env', 'PGPASSFILE=/srv/cw/acme/.pgpass'];
const connArgs = ['--host', '127.0.0.1', '--port', '15432', '--username', 'odoo', '--no-password'];

describe('PostgreSQL commands', () => {
  it('creates, drops, dumps and restores with the database as a plain element after --', () => {
    expect(pg.createDatabase(conn, 'acme-prod', { owner: 'odoo' })).toEqual([
      ...prefix,
      'createdb',
      ...connArgs,
      '--template',
      'template0',
      '--encoding',
      'UTF8',
      '--owner',
      'odoo',
      '--',
      'acme-prod',
    ]);
    expect(pg.dropDatabase({ host: '/var/run/postgresql', port: 5432, user: 'postgres' }, 'old.db')).toEqual([
      'dropdb',
      '--host',
      '/var/run/postgresql',
      '--port',
      '5432',
      '--username',
      'postgres',
      '--no-password',
      '--if-exists',
      '--force',
      '--',
      'old.db',
    ]);
    expect(pg.dumpDatabase(conn, 'acme-prod', { outputPath: '/srv/cw/backups/b1.dump' })).toEqual([
      ...prefix,
      'pg_dump',
      ...connArgs,
      '--format=custom',
      '--no-owner',
      '--no-privileges',
      '--file',
      '/srv/cw/backups/b1.dump',
      '--',
      'acme-prod',
    ]);
    expect(pg.restoreDatabase(conn, 'acme-staging', '/srv/cw/backups/b1.dump', { jobs: 2 })).toEqual([
      ...prefix,
      'pg_restore',
      ...connArgs,
      '--dbname',
      'acme-staging',
      '--no-owner',
      '--no-privileges',
      '--exit-on-error',
      '--jobs',
      '2',
      '--',
      '/srv/cw/backups/b1.dump',
    ]);
  });

  it('passes names to SQL as psql variables, never inside the SQL text', () => {
    const rename = pg.renameDatabase(conn, 'acme', 'acme-old');
    expect(rename).toEqual({
      argv: [
        ...prefix,
        'psql',
        ...connArgs,
        '--no-psqlrc',
        '--quiet',
        '--tuples-only',
        '--no-align',
        '--set',
        'ON_ERROR_STOP=1',
        '--set',
        'from_db=acme',
        '--set',
        'to_db=acme-old',
        '--dbname',
        'postgres',
      ],
      stdin: 'ALTER DATABASE :"from_db" RENAME TO :"to_db";\n',
    });
    expect(pg.databaseExists(conn, 'acme').stdin).toBe("SELECT 1 FROM pg_database WHERE datname = :'db';\n");
    expect(pg.terminateConnections(conn, 'acme').argv).toContain('db=acme');
    // Free-form variable values stay one argv element, newlines and quotes included.
    const q = pg.psql(conn, 'postgres', "SELECT :'v';", { v: "x'; DROP TABLE t; --\nmore" });
    expect(q.argv).toContain("v=x'; DROP TABLE t; --\nmore");
    expect(q.stdin).toBe("SELECT :'v';");
  });

  it('refuses database and role names with quotes, spaces, options or conninfo', () => {
    for (const bad of [
      'a"b',
      "a'b",
      'a b',
      '-d',
      '--help',
      'dbname=x host=evil',
      'a;b',
      '$(id)',
      'a\nb',
      '',
      'x'.repeat(64),
    ]) {
      expect(() => pg.createDatabase(conn, bad)).toThrow(CommandInputError);
      expect(() => pg.dumpDatabase(conn, bad)).toThrow(CommandInputError);
      expect(() => pg.renameDatabase(conn, 'ok', bad)).toThrow(CommandInputError);
    }
    expect(() => pg.createDatabase({ ...conn, user: 'x" y' }, 'db')).toThrow(CommandInputError);
    expect(() => pg.createDatabase({ ...conn, host: '-h evil' }, 'db')).toThrow(CommandInputError);
    expect(() => pg.createDatabase({ ...conn, passfile: 'rel/path' }, 'db')).toThrow(CommandInputError);
    expect(() => pg.psql(conn, 'db', 'SELECT 1', { 'bad name': 'x' })).toThrow(CommandInputError);
  });

  it('the real client tools stop option parsing at -- (getopt), so a name is never an option', () => {
    // Against a closed port: reaching "connection" proves "--help-like" names were not parsed as options.
    const argv = pg.dropDatabase({ host: '127.0.0.1', port: 1, user: 'nobody' }, 'x');
    argv[argv.length - 1] = '--version';
    const bin = `/usr/lib/postgresql/15/bin/${argv[0]}`;
    let output = '';
    try {
      output = execFileSync(bin, argv.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      output = String((err as { stderr?: string }).stderr);
    }
    expect(output).not.toMatch(/dropdb \(PostgreSQL\)|unrecognized option/);
    expect(output).toMatch(/connection|connect/i);
  });
});
