// Secrets (admin passwords, SSH keys) are sealed at rest and shown only through getAdminPassword
// (and the engine); never in records, JSON, inspect output, errors or the database in clear.
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import {
  CloudWady,
  type CloudWadyClient,
  OperationFailedError,
  renderOdooConf,
  Secret,
} from '@cloudwady/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDriver } from '../../src/store/index.js';
import { RecordingGateway } from '../support/gateway.js';
import type { StoreTarget } from '../support/targets.js';
import { makeWorld, type World } from '../support/world.js';

export function secretsSuite(target: () => StoreTarget) {
  describe('secrets', () => {
    let root: CloudWadyClient;
    let w: World;

    beforeAll(async () => {
      root = await CloudWady.connect(target().options({ operations: new RecordingGateway() }));
      w = await makeWorld(root);
    });
    afterAll(async () => root?.close());

    /** Everything the SDK shows about the app, as text. */
    async function everythingShown(appId: string): Promise<string> {
      const admin = w.as.admin;
      const shown: unknown[] = [
        await admin.apps.get(appId),
        await admin.apps.getConfig(appId),
        await admin.apps.viewConfig(appId),
        await admin.apps.availableActions(appId),
        await admin.apps.getAdminPassword(appId),
        await root.engine.loadDeployment(appId),
        await admin.servers.list(w.project.id),
      ];
      const errors = await Promise.all([
        w.as.viewer.apps.getAdminPassword(appId).catch((e) => e),
        admin.apps.applyConfig(appId, { configPatch: 'admin_passwd = x' }).catch((e) => e),
        admin.apps.restart(appId).catch((e) => e),
        root.engine.transitionApp(appId, { to: 'deleted' }).catch((e) => e),
      ]);
      for (const error of errors) expect(error).toBeInstanceOf(Error);
      return [
        ...shown.map(
          (value) => `${JSON.stringify(value)}\n${inspect(value, { depth: 10 })}\n${String(value)}`,
        ),
        ...errors.map(
          (error) =>
            `${JSON.stringify(error)}\n${inspect(error, { depth: 10 })}\n${error.message}\n${error.stack}`,
        ),
      ].join('\n');
    }

    it('generates a strong admin password per app, readable only through getAdminPassword', async () => {
      const a = await w.as.admin.apps.getAdminPassword(w.app.development.id);
      const b = await w.as.admin.apps.getAdminPassword(w.app.staging.id);
      expect(a.password).toBeInstanceOf(Secret);
      expect(a.password.reveal()).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(a.password.reveal()).not.toBe(b.password.reveal());
      expect(JSON.stringify(a)).toBe(
        `{"appId":"${w.app.development.id}","password":"[redacted]","stagedPassword":null}`,
      );
      expect(inspect(a)).toContain('[redacted]');
      expect(`${a.password}`).toBe('[redacted]');
    });

    it('never shows the password or the SSH key in records, JSON, inspect, errors or the database', async () => {
      const appId = w.app.development.id;
      const password = (await w.as.admin.apps.getAdminPassword(appId)).password.reveal();
      const key = (await root.engine.serverPrivateKey(w.server.id)).reveal();
      expect(key).toBe(w.privateKey);
      const shown = await everythingShown(appId);
      expect(shown).toContain('[redacted]');
      expect(shown).not.toContain(password);
      const keyBody = key.split('\n')[1] ?? '';
      expect(keyBody.length).toBeGreaterThan(20);
      expect(shown).not.toContain(keyBody);
      const stored = JSON.stringify(await target().dump());
      expect(stored).not.toContain(password);
      expect(stored).not.toContain(keyBody);
      expect(stored).toMatch(/v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+/);
    });

    it('stages a regenerated password; the next deploy applies it', async () => {
      const appId = w.app.staging.id;
      const before = (await w.as.admin.apps.getAdminPassword(appId)).password.reveal();
      const state = await w.as.admin.apps.regenerateAdminPassword(appId);
      expect(state.adminPasswordStaged).toBe(true);
      const pending = await w.as.admin.apps.getAdminPassword(appId);
      expect(pending.password.reveal()).toBe(before);
      const next = pending.stagedPassword?.reveal() ?? '';
      expect(next).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(next).not.toBe(before);
      expect((await root.engine.adminPassword(appId)).reveal()).toBe(next);
      expect((await root.engine.adminPassword(appId, 'applied')).reveal()).toBe(before);
      await root.engine.promoteStagedConfig(appId);
      const after = await w.as.admin.apps.getAdminPassword(appId);
      expect(after.password.reveal()).toBe(next);
      expect(after.stagedPassword).toBeNull();
      const { app, config } = await root.engine.loadDeployment(appId);
      const conf = renderOdooConf(app, config.applied, {
        adminPassword: await root.engine.adminPassword(appId),
      });
      expect(conf).toContain(`admin_passwd = ${next}\n`);
      expect((await w.as.admin.apps.viewConfig(appId)).odooConf).not.toContain(next);
    });

    it('refuses a sealed secret moved to another row, and a wrong key, without showing either', async () => {
      const driver = openDriver(target().store());
      try {
        const from = w.app.production.id;
        const to = w.app.development.id;
        const row = await driver.get<{ admin_password: string }>(
          'SELECT admin_password FROM apps WHERE id = ?',
          [from],
        );
        const original = await driver.get<{ admin_password: string }>(
          'SELECT admin_password FROM apps WHERE id = ?',
          [to],
        );
        await driver.run('UPDATE apps SET admin_password = ? WHERE id = ?', [row?.admin_password ?? '', to]);
        const moved = await w.as.admin.apps.getAdminPassword(to).catch((e) => e);
        await driver.run('UPDATE apps SET admin_password = ? WHERE id = ?', [
          original?.admin_password ?? '',
          to,
        ]);
        expect(moved).toBeInstanceOf(OperationFailedError);
        expect(JSON.stringify(moved)).not.toContain(row?.admin_password ?? '');
      } finally {
        await driver.close();
      }
      const other = await CloudWady.connect({
        store: target().store(),
        secretKey: randomBytes(32).toString('base64'),
      });
      try {
        const error = await other
          .as({ userId: w.project.createdBy })
          .apps.getAdminPassword(w.app.production.id)
          .catch((e) => e);
        expect(error).toBeInstanceOf(OperationFailedError);
        expect(error.message).toMatch(/CLOUDWADY_SECRET_KEY/);
      } finally {
        await other.close();
      }
    });
  });
}
