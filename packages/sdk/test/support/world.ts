// A project with one member per role, three environments, two servers and one app per
// environment: the records most tests start from.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { App, CloudWadyClient, Environment, Project, Role, Server } from '../../src/index.js';

export function testPrivateKey(): string {
  return generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

export const uniq = () => randomBytes(4).toString('hex');

export interface World {
  project: Project;
  as: Record<Role | 'outsider', CloudWadyClient>;
  env: Record<'development' | 'staging' | 'production', Environment>;
  server: Server;
  server2: Server;
  app: Record<'development' | 'staging' | 'production', App>;
  privateKey: string;
}

export async function makeWorld(root: CloudWadyClient): Promise<World> {
  const id = uniq();
  const users = {
    admin: root.as({ userId: `admin-${id}`, name: 'Ada Admin' }),
    maintainer: root.as({ userId: `maintainer-${id}` }),
    developer_plus: root.as({ userId: `devplus-${id}` }),
    developer: root.as({ userId: `dev-${id}` }),
    viewer: root.as({ userId: `viewer-${id}` }),
    outsider: root.as({ userId: `outsider-${id}` }),
  };
  const admin = users.admin;
  const project = await admin.projects.create({
    name: `Shop ${id}`,
    repositoryUrl: 'https://github.com/acme/shop.git',
  });
  for (const role of ['maintainer', 'developer_plus', 'developer', 'viewer'] as const) {
    await admin.members.add({ projectId: project.id, userId: users[role].actor?.userId ?? '', role });
  }
  const env = {
    development: await admin.environments.create({ projectId: project.id, type: 'development' }),
    staging: await admin.environments.create({ projectId: project.id, type: 'staging' }),
    production: await admin.environments.create({ projectId: project.id, type: 'production' }),
  };
  const privateKey = testPrivateKey();
  const server = await admin.servers.create({
    projectId: project.id,
    name: 'server-1',
    ssh: { host: '127.0.0.1', port: 12222, username: 'cloudwady', privateKey },
  });
  const server2 = await admin.servers.create({
    projectId: project.id,
    name: 'server-2',
    ssh: { host: '127.0.0.1', port: 12223, username: 'cloudwady', privateKey: testPrivateKey() },
  });
  const app = {} as World['app'];
  for (const type of ['development', 'staging', 'production'] as const) {
    app[type] = await admin.apps.create({
      environmentId: env[type].id,
      serverId: type === 'staging' ? server2.id : server.id,
      name: `${type} app`,
      odooVersion: '17.0',
      branch: { name: type === 'production' ? 'main' : type },
      primaryUrl: {
        domain: `${type}-${id}.shop.test`,
        sslProvider: type === 'production' ? 'letsencrypt' : 'none',
      },
    });
  }
  return { project, as: users, env, server, server2, app, privateKey };
}
