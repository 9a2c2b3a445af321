import type { ProxySettings, Server } from '../schemas/servers.js';
import { insertRow, json, type Queryable, type Row, str, updateColumns } from './sql.js';

// The sealed private key is read only by `findServerPrivateKey`, never as part of a record.
const COLUMNS =
  'id, project_id, name, ssh_host, ssh_port, ssh_username, docker_socket_path, labels, proxy, created_at, updated_at';

function toServer(row: Row): Server {
  return {
    id: str(row.id),
    projectId: str(row.project_id),
    name: str(row.name),
    ssh: { host: str(row.ssh_host), port: Number(row.ssh_port), username: str(row.ssh_username) },
    dockerSocketPath: str(row.docker_socket_path),
    labels: json<Record<string, string>>(row.labels),
    proxy: json<ProxySettings>(row.proxy),
    createdAt: str(row.created_at),
    updatedAt: str(row.updated_at),
  };
}

export async function findServer(q: Queryable, id: string): Promise<Server | undefined> {
  const row = await q.get(`SELECT ${COLUMNS} FROM servers WHERE id = ?`, [id]);
  return row && toServer(row);
}

export async function findServerByName(
  q: Queryable,
  projectId: string,
  name: string,
): Promise<Server | undefined> {
  const row = await q.get(`SELECT ${COLUMNS} FROM servers WHERE project_id = ? AND name = ?`, [
    projectId,
    name,
  ]);
  return row && toServer(row);
}

export async function listServers(q: Queryable, projectId: string): Promise<Server[]> {
  const rows = await q.all(`SELECT ${COLUMNS} FROM servers WHERE project_id = ? ORDER BY created_at, id`, [
    projectId,
  ]);
  return rows.map(toServer);
}

export async function findServerPrivateKey(q: Queryable, id: string): Promise<string | undefined> {
  const row = await q.get('SELECT ssh_private_key FROM servers WHERE id = ?', [id]);
  return row && str(row.ssh_private_key);
}

export async function insertServer(q: Queryable, server: Server, sealedPrivateKey: string): Promise<void> {
  await insertRow(q, 'servers', {
    id: server.id,
    project_id: server.projectId,
    name: server.name,
    ssh_host: server.ssh.host,
    ssh_port: server.ssh.port,
    ssh_username: server.ssh.username,
    ssh_private_key: sealedPrivateKey,
    docker_socket_path: server.dockerSocketPath,
    labels: JSON.stringify(server.labels),
    proxy: JSON.stringify(server.proxy),
    created_at: server.createdAt,
    updated_at: server.updatedAt,
  });
}

export async function updateServer(
  q: Queryable,
  server: Server,
  sealedPrivateKey: string | undefined,
): Promise<void> {
  await updateColumns(
    q,
    'servers',
    { id: server.id },
    {
      name: server.name,
      ssh_host: server.ssh.host,
      ssh_port: server.ssh.port,
      ssh_username: server.ssh.username,
      ssh_private_key: sealedPrivateKey,
      docker_socket_path: server.dockerSocketPath,
      labels: JSON.stringify(server.labels),
      proxy: JSON.stringify(server.proxy),
      updated_at: server.updatedAt,
    },
  );
}

export async function deleteServer(q: Queryable, id: string): Promise<void> {
  await q.run('DELETE FROM servers WHERE id = ?', [id]);
}
