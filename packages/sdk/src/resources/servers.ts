// client.servers: the hosts of a project's apps. The SSH private key goes in sealed and never
// comes back out through this namespace (the engine reads it).
import { nowIso } from '../clock.js';
import { authorize, type Context, guardAll, parse } from '../context.js';
import { ConflictError } from '../errors.js';
import { newId } from '../ids.js';
import { countAppsWhere } from '../repositories/apps.js';
import {
  deleteServer,
  findServerByName,
  insertServer,
  listServers,
  updateServer,
} from '../repositories/servers.js';
import { projectIdSchema } from '../schemas/projects.js';
import {
  type CreateServerInput,
  createServerInputSchema,
  type Server,
  serverIdSchema,
  type UpdateServerInput,
  updateServerInputSchema,
} from '../schemas/servers.js';
import { Secret } from '../secrets.js';
import type { Queryable } from '../store/driver.js';
import { loadProject, loadServer } from './load.js';

/** The associated data binding a sealed key to its row and column. */
export const serverKeyContext = (serverId: string) => `server:${serverId}:ssh_private_key`;

async function checkNameFree(q: Queryable, projectId: string, name: string, exceptId?: string) {
  const existing = await findServerByName(q, projectId, name);
  if (existing && existing.id !== exceptId) {
    throw new ConflictError(`The project already has a server named "${name}": choose another name.`, {
      serverId: existing.id,
    });
  }
}

export function serversResource(ctx: Context) {
  return guardAll({
    /** Adds a server (Admin). */
    async create(input: CreateServerInput): Promise<Server> {
      const fields = parse(createServerInputSchema, input, 'server');
      const at = nowIso();
      const { privateKey, ...ssh } = fields.ssh;
      const server: Server = {
        id: newId('server'),
        projectId: fields.projectId,
        name: fields.name,
        ssh,
        dockerSocketPath: fields.dockerSocketPath,
        labels: fields.labels,
        proxy: fields.proxy,
        createdAt: at,
        updatedAt: at,
      };
      await ctx.db.transaction(async (tx) => {
        await loadProject(tx, fields.projectId);
        await authorize(ctx, 'manageServers', { projectId: fields.projectId }, tx);
        await checkNameFree(tx, server.projectId, server.name);
        await insertServer(tx, server, ctx.box.seal(new Secret(privateKey), serverKeyContext(server.id)));
      });
      return server;
    },

    async get(serverId: string): Promise<Server> {
      const id = parse(serverIdSchema, serverId, 'serverId');
      const server = await loadServer(ctx.db, id);
      await authorize(ctx, 'viewProject', { projectId: server.projectId });
      return server;
    },

    async list(projectId: string): Promise<Server[]> {
      const id = parse(projectIdSchema, projectId, 'projectId');
      await loadProject(ctx.db, id);
      await authorize(ctx, 'viewProject', { projectId: id });
      return listServers(ctx.db, id);
    },

    /** Changes a server (Admin); `ssh.privateKey` replaces the stored key. */
    async update(serverId: string, input: UpdateServerInput): Promise<Server> {
      const id = parse(serverIdSchema, serverId, 'serverId');
      const fields = parse(updateServerInputSchema, input, 'server changes');
      return ctx.db.transaction(async (tx) => {
        const current = await loadServer(tx, id);
        await authorize(ctx, 'manageServers', { projectId: current.projectId }, tx);
        if (fields.name !== undefined) await checkNameFree(tx, current.projectId, fields.name, id);
        const { privateKey, ...ssh } = fields.ssh ?? {};
        const definedSsh = Object.fromEntries(Object.entries(ssh).filter(([, v]) => v !== undefined));
        const next: Server = {
          ...current,
          name: fields.name ?? current.name,
          ssh: { ...current.ssh, ...definedSsh },
          dockerSocketPath: fields.dockerSocketPath ?? current.dockerSocketPath,
          labels: fields.labels ?? current.labels,
          proxy: fields.proxy ?? current.proxy,
          updatedAt: nowIso(),
        };
        const sealed =
          privateKey === undefined ? undefined : ctx.box.seal(new Secret(privateKey), serverKeyContext(id));
        await updateServer(tx, next, sealed);
        return loadServer(tx, id);
      });
    },

    /** Removes a server no app uses (Admin). */
    async delete(serverId: string): Promise<void> {
      const id = parse(serverIdSchema, serverId, 'serverId');
      await ctx.db.transaction(async (tx) => {
        const server = await loadServer(tx, id);
        await authorize(ctx, 'manageServers', { projectId: server.projectId }, tx);
        const apps = await countAppsWhere(tx, 'server_id', id);
        if (apps > 0) {
          throw new ConflictError(
            `Server "${server.name}" still runs ${apps} app(s): destroy or move them first.`,
            {
              serverId: id,
              apps,
            },
          );
        }
        await deleteServer(tx, id);
      });
    },
  });
}

export type ServersResource = ReturnType<typeof serversResource>;
