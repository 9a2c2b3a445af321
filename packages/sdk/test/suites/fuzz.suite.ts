// Malformed input to every public method: the answer is always a typed CloudWadyError (never a
// TypeError, never an internal "operation failed"), and the store is exactly as before.

import {
  CloudWady,
  type CloudWadyClient,
  CloudWadyError,
  ID_PREFIXES,
  type IdKind,
  ValidationError,
} from '@cloudwady/sdk';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ArgKind, callMethod, clientMethods, METHOD_ARGS } from '../support/calls.js';
import { RecordingGateway } from '../support/gateway.js';
import type { StoreTarget } from '../support/targets.js';
import { makeWorld, type World } from '../support/world.js';

const ID_KINDS: Partial<Record<ArgKind, IdKind>> = {
  project: 'project',
  environment: 'environment',
  server: 'server',
  app: 'app',
  branch: 'branch',
  url: 'url',
  release: 'release',
  backup: 'backup',
  restoration: 'restoration',
};

const ANY_ID = /^[a-z]{3}_[0-9a-z]{16}$/;
const FIELDS = [
  'name',
  'repositoryUrl',
  'projectId',
  'environmentId',
  'serverId',
  'type',
  'autoUpdate',
  'autoDelete',
  'ssh',
  'privateKey',
  'labels',
  'proxy',
  'odooVersion',
  'domain',
  'primary',
  'sslProvider',
  'workers',
  'limits',
  'configPatch',
  'databaseName',
  'deadline',
  'addons',
  'role',
  'userId',
  'action',
  'appId',
  'urlId',
  'branchId',
  'backupId',
  'releaseId',
  'status',
  'to',
  'from',
  'fingerprint',
  'image',
  'commitSha',
  'kind',
  'which',
  'note',
  'accessPolicy',
  '__proto__',
  'constructor',
  'toString',
];

export function fuzzSuite(target: () => StoreTarget, numRuns = 40) {
  describe('malformed input (property-based)', () => {
    let root: CloudWadyClient;
    let w: World;
    let ids: Record<IdKind, string[]>;

    beforeAll(async () => {
      root = await CloudWady.connect(target().options({ operations: new RecordingGateway() }));
      w = await makeWorld(root);
      const app = w.app.production.id;
      // One app deployed, so that operations get past their state checks to the input checks.
      await root.engine.transitionApp(app, { to: 'deploying' });
      await root.engine.transitionApp(app, { to: 'deployed' });
      const release = await root.engine.recordRelease({
        appId: app,
        fingerprint: 'a'.repeat(64),
        image: 'shop:a',
        commitSha: 'a'.repeat(40),
        configHash: 'c'.repeat(64),
        createdBy: 'ada',
      });
      const backup = await root.engine.recordBackup({ appId: app, kind: 'manual', createdBy: 'ada' });
      const restoration = await root.engine.recordRestoration({
        backupId: backup.id,
        targetAppId: app,
        createdBy: 'ada',
      });
      const branches = await w.as.admin.branches.list(app);
      const urls = await w.as.admin.urls.list(app);
      ids = {
        project: [w.project.id],
        environment: Object.values(w.env).map((e) => e.id),
        server: [w.server.id, w.server2.id],
        app: Object.values(w.app).map((a) => a.id),
        branch: branches.map((b) => b.id),
        url: urls.map((u) => u.id),
        release: [release.id],
        backup: [backup.id],
        restoration: [restoration.id],
      };
    });
    afterAll(async () => root?.close());

    const wellFormedId = (kind: IdKind) =>
      fc.oneof(
        fc.constantFrom(...ids[kind]),
        fc.stringMatching(/^[0-9a-hjkmnp-tv-z]{16}$/).map((body) => `${ID_PREFIXES[kind]}_${body}`),
      );
    const badId = fc
      .oneof(
        fc.anything(),
        fc.string(),
        fc.constant(''),
        fc.string().map((s) => `app_${s}`),
        fc.constant('app_../../etc'),
      )
      .filter((value) => typeof value !== 'string' || !ANY_ID.test(value));
    const plausibleValue = () =>
      fc.oneof(
        fc.anything(),
        fc.constantFrom(...Object.values(ids).flat()),
        fc.string(),
        fc.integer(),
        fc.boolean(),
      );
    const plausibleObject = () => fc.dictionary(fc.constantFrom(...FIELDS), plausibleValue(), { maxKeys: 6 });
    /** Never valid: not an object, or an object with a key no schema accepts. */
    const badInput = (undefinedIsValid: boolean) =>
      fc.oneof(
        fc
          .anything()
          .filter(
            (v) =>
              (v === null || typeof v !== 'object' || Array.isArray(v)) &&
              !(undefinedIsValid && v === undefined),
          ),
        plausibleObject().map((object) => ({ ...object, fuzzUnknownKey: 1 })),
      );

    // Mostly real ids (and the deployed app first), so calls get past loading to deeper checks.
    const good = (kind: ArgKind) => {
      const idKind = ID_KINDS[kind];
      if (idKind === 'app')
        return fc.oneof(
          { arbitrary: fc.constant(w.app.production.id), weight: 4 },
          wellFormedId(idKind),
          fc.anything(),
        );
      if (idKind) return fc.oneof({ arbitrary: wellFormedId(idKind), weight: 4 }, fc.anything());
      return fc.oneof(plausibleObject(), fc.anything(), fc.constant(undefined));
    };
    const bad = (kind: ArgKind) => {
      if (ID_KINDS[kind]) return badId;
      if (kind === 'sha')
        return fc.anything().filter((v) => typeof v !== 'string' || !/^[0-9a-fA-F]{40}$/.test(v.trim()));
      if (kind === 'which')
        return fc.anything().filter((v) => v !== undefined && v !== 'applied' && v !== 'next');
      return badInput(kind === 'optionalInput');
    };

    /** Arguments with at least one malformed position. */
    const malformedArgs = (kinds: ArgKind[]) =>
      fc
        .integer({ min: 0, max: kinds.length - 1 })
        .chain((broken) => fc.tuple(...kinds.map((kind, i) => (i === broken ? bad(kind) : good(kind)))));

    it('covers every method of the client', () => {
      expect(clientMethods(root).sort()).toEqual(Object.keys(METHOD_ARGS).sort());
    });

    for (const [method, kinds] of Object.entries(METHOD_ARGS)) {
      it(`${method} answers malformed input with a typed error and changes nothing`, async () => {
        const clients = fc.oneof(
          { arbitrary: fc.constant(w.as.admin), weight: 4 },
          fc.constantFrom(w.as.viewer, root),
        );
        const args = kinds.length > 0 ? malformedArgs(kinds) : fc.array(fc.anything(), { maxLength: 2 });
        const before = await target().dump();
        await fc.assert(
          fc.asyncProperty(clients, args, async (client, values) => {
            const outcome = await callMethod(client, method, values).then(
              (value) => ({ ok: true as const, value }),
              (error: unknown) => ({ ok: false as const, error }),
            );
            if (kinds.length > 0) expect(outcome.ok).toBe(false);
            if (!outcome.ok) {
              expect(outcome.error).toBeInstanceOf(CloudWadyError);
              expect((outcome.error as CloudWadyError).code).not.toBe('operation_failed');
              expect(JSON.parse(JSON.stringify(outcome.error))).toMatchObject({ code: expect.any(String) });
            }
          }),
          { numRuns },
        );
        expect(await target().dump()).toEqual(before);
      });
    }

    it('client.as and CloudWady.connect refuse malformed input with a ValidationError', async () => {
      await fc.assert(
        // (connect() without options is valid: it opens the default SQLite file.)
        fc.asyncProperty(badInput(true), async (value) => {
          expect(() => root.as(value as never)).toThrow(ValidationError);
          await expect(CloudWady.connect(value as never)).rejects.toBeInstanceOf(ValidationError);
        }),
        { numRuns },
      );
    });
  });
}
