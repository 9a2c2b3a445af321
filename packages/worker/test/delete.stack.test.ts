import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { appPaths, nginxConfig } from '@cloudwady/activities';
import { ForbiddenError, NotFoundError } from '@cloudwady/sdk';
import { type Stack, startStack } from '@cloudwady/testing';
import type { ReleaseResult } from '@cloudwady/workflows';
import type Docker from 'dockerode';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createStackApp,
  getThroughProxy,
  type LocalEngine,
  resultOf,
  startLocalEngine,
} from '../../../examples/src/support/local.js';
import { appContainers, appImages, localDocker } from './fixtures/docker.js';

async function databaseExists(stack: Stack, name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: stack.postgres.url });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    return rowCount === 1;
  } finally {
    await client.end();
  }
}

// Delete Instance and Destroy (F13) on the real stack: what each removes and what each keeps,
// checked against Docker, nginx, PostgreSQL and the server's files rather than CloudWady's word.
describe('Delete Instance, then Destroy', () => {
  let stack: Stack;
  let engine: LocalEngine;
  let docker: Docker;

  beforeAll(async () => {
    stack = await startStack();
    engine = await startLocalEngine(stack);
    docker = localDocker(stack.docker.socketPath);
  });

  afterAll(async () => {
    await engine?.stop();
  });

  it('Delete Instance removes what runs and keeps data; Destroy (Admin) removes the rest', async () => {
    const { ada, app, domain } = await createStackApp(engine, stack);
    const deployed = await resultOf<ReleaseResult>(engine, await ada.apps.deploy(app.id));
    const { databaseName } = (await ada.apps.getConfig(app.id)).applied;
    const { appDir } = appPaths(engine.hosting, app.id);
    const siteFile = join(stack.nginx.sitesDir, nginxConfig.siteFileName(app.id));
    // What the deploy left, so the removals below are of things that were there.
    expect((await getThroughProxy(stack, domain)).release).toBe(deployed.releaseId);
    expect(await appContainers(docker, app.id)).toHaveLength(1);
    expect(existsSync(siteFile)).toBe(true);
    expect(await databaseExists(stack, databaseName)).toBe(true);

    await resultOf(engine, await ada.apps.deleteInstance(app.id));
    expect((await ada.apps.get(app.id)).state).toBe('deleted');
    expect(await appContainers(docker, app.id)).toEqual([]);
    expect(existsSync(siteFile)).toBe(false);
    const after = await getThroughProxy(stack, domain);
    expect(after.release).toBe('');
    expect(after.body).not.toContain('cw_hello');
    // Kept: the releases (a redeploy or a restore can use them), the database, the image, the files.
    expect((await ada.releases.list(app.id)).map((r) => r.id)).toEqual([deployed.releaseId]);
    expect(await databaseExists(stack, databaseName)).toBe(true);
    expect((await appImages(docker, app.id)).map((i) => i.RepoTags)).toEqual([[deployed.image]]);
    expect(existsSync(appDir)).toBe(true);

    // Destroy is for Admins: a Developer of the project is refused before anything runs.
    await ada.members.add({ projectId: app.projectId, userId: 'dev', role: 'developer' });
    const dev = engine.client.as({ userId: 'dev' });
    await expect(dev.apps.destroy(app.id)).rejects.toBeInstanceOf(ForbiddenError);
    expect(await appImages(docker, app.id)).toHaveLength(1);

    // Ada created the project, so she is its Admin. Awaited through Temporal: once Destroy ends,
    // the app's records (and so its runs in the SDK) are gone.
    const destroyed = await ada.apps.destroy(app.id);
    expect(destroyed).not.toBeNull();
    await resultOf(engine, destroyed);
    expect(await appImages(docker, app.id)).toEqual([]);
    expect(await appContainers(docker, app.id)).toEqual([]);
    expect(existsSync(appDir)).toBe(false);
    expect(await databaseExists(stack, databaseName)).toBe(false);
    await expect(ada.apps.get(app.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(ada.releases.list(app.id)).rejects.toBeInstanceOf(NotFoundError);
  });
});
