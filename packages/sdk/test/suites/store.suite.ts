// The query layer itself: migrations, transactions, constraint errors, same results on both
// databases.
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConflictError, LATEST_SCHEMA_VERSION, OperationFailedError } from '@cloudwady/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Driver } from '../../src/store/driver.js';
import { MIGRATIONS, migrate, openDriver, openStore } from '../../src/store/index.js';
import type { StoreTarget } from '../support/targets.js';

export function storeSuite(target: () => StoreTarget) {
  describe('store', () => {
    let db: Driver;

    beforeAll(async () => {
      db = await openStore(await target().fresh());
    });
    afterAll(async () => db?.close());

    const project = (id: string) => [
      id,
      'P',
      'https://x.test/p.git',
      null,
      'u',
      '2025-01-01T00:00:00.000Z',
      '2025-01-01T00:00:00.000Z',
    ];
    const insertProject =
      'INSERT INTO projects (id, name, repository_url, access_policy, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)';

    it('records applied migrations and applies each once, even when machines start together', async () => {
      const rows = await db.all('SELECT version, name FROM schema_migrations ORDER BY version');
      expect(rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
      expect(LATEST_SCHEMA_VERSION).toBe(MIGRATIONS.at(-1)?.version);
      expect(await migrate(db)).toEqual([]);
      const store = await target().fresh();
      const drivers = [openDriver(store), openDriver(store), openDriver(store)];
      try {
        const applied = await Promise.all(drivers.map((driver) => migrate(driver)));
        expect(applied.flat().sort()).toEqual(MIGRATIONS.map((m) => m.version));
      } finally {
        await Promise.all(drivers.map((driver) => driver.close()));
      }
    });

    it('refuses a database migrated by a newer SDK', async () => {
      const store = await target().fresh();
      const driver = await openStore(store);
      try {
        await driver.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [
          9999,
          'future',
          'now',
        ]);
        const error = await migrate(driver).catch((e) => e);
        expect(error).toBeInstanceOf(OperationFailedError);
        expect(error.message).toMatch(/newer than this SDK knows/);
      } finally {
        await driver.close();
      }
    });

    it('commits a transaction whole or not at all', async () => {
      await db.transaction(async (tx) => {
        await tx.run(insertProject, project('prj_a'));
        await tx.run(insertProject, project('prj_b'));
      });
      await expect(
        db.transaction(async (tx) => {
          await tx.run(insertProject, project('prj_c'));
          throw new Error('stop');
        }),
      ).rejects.toThrow('stop');
      await expect(
        db.transaction(async (tx) => {
          await tx.run(insertProject, project('prj_d'));
          await tx.run(insertProject, project('prj_a'));
        }),
      ).rejects.toBeInstanceOf(ConflictError);
      const ids = (await db.all('SELECT id FROM projects ORDER BY id')).map((r) => r.id);
      expect(ids).toEqual(['prj_a', 'prj_b']);
    });

    it('serialises concurrent transactions without losing writes', async () => {
      await db.run(insertProject, project('prj_counter'));
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          db.transaction(async (tx) => {
            const row = await tx.get<{ name: string }>('SELECT name FROM projects WHERE id = ?', [
              'prj_counter',
            ]);
            await tx.run('UPDATE projects SET name = ? WHERE id = ?', [
              `${row?.name}${i % 10}`,
              'prj_counter',
            ]);
          }),
        ),
      );
      const row = await db.get<{ name: string }>('SELECT name FROM projects WHERE id = ?', ['prj_counter']);
      // On PostgreSQL (read committed) concurrent read-modify-write may lose updates; SQLite serialises.
      if (db.kind === 'sqlite') expect(row?.name.length).toBe(11);
      else expect(row?.name.length).toBeGreaterThan(1);
    });

    it('enforces "one per app" with partial unique indexes, as a backstop', async () => {
      await expect(
        db.transaction(async (tx) => {
          await tx.run(
            'INSERT INTO releases (id, app_id, fingerprint, image, commit_sha, config_hash, is_current, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
            ['rel_x', 'app_missing', 'f', 'i', 'c', 'h', true, 'u', 'now'],
          );
        }),
      ).rejects.toBeInstanceOf(OperationFailedError); // foreign key: no such app
    });

    it('reads the same types back from both databases', async () => {
      await db.run(insertProject, project('prj_types'));
      const row = await db.get('SELECT id, access_policy FROM projects WHERE id = ?', ['prj_types']);
      expect(row).toEqual({ id: 'prj_types', access_policy: null });
      const big = await db.get<{ n: number }>('SELECT CAST(? AS BIGINT) AS n', [5_000_000_000]);
      expect(big?.n).toBe(5_000_000_000);
    });

    it('refuses to query past an open transaction instead of hanging', async () => {
      const error = await db
        .transaction(async () => {
          await db.get('SELECT 1 AS one');
        })
        .catch((e) => e);
      expect(error).toBeInstanceOf(OperationFailedError);
      expect(error.message).toMatch(/outside the open transaction/);
    });

    it('reports an unreachable database as a typed error', async () => {
      // SQLite: a directory that cannot exist (its parent is a file).
      const file = join(tmpdir(), `cloudwady-not-a-dir-${process.pid}`);
      writeFileSync(file, '');
      try {
        const store =
          target().name === 'sqlite'
            ? { sqlite: join(file, 'sub', 'records.db') }
            : { postgres: 'postgres://nobody:x@127.0.0.1:1/none' };
        await expect(openStore(store)).rejects.toBeInstanceOf(OperationFailedError);
      } finally {
        rmSync(file, { force: true });
      }
    });
  });
}
