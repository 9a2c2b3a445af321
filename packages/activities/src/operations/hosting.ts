import type { Deployment, EngineResource } from '@cloudwady/sdk';
import type { HostServer } from '../host/server.js';

/** How this worker hosts apps on its servers (the same for every server it serves). */
export interface HostingOptions {
  /** Base Odoo image per version, e.g. { '17.0': 'odoo:17.0' }. */
  baseImages: Record<string, string>;
  /** Root of CloudWady's files on each server. Default /var/lib/cloudwady. */
  dataRoot?: string;
  /** PostgreSQL the apps' Odoo uses, as reached from the server's loopback. */
  database: { host: string; port: number; user: string; password: string };
  /** Port nginx listens on for the apps' URLs. Default 80. */
  proxyListenPort?: number;
  /** Address nginx listens on. Default every address. */
  proxyListenAddress?: string;
  /** Loopback ports for app containers. Default [20000, 29999]. */
  portRange?: [number, number];
  /** How long a new release may take to answer /web/health. Default 120 s. */
  healthTimeoutMs?: number;
}

/** Where an app's files live on its server. */
export function appPaths(hosting: HostingOptions, appId: string) {
  const appDir = `${hosting.dataRoot ?? '/var/lib/cloudwady'}/apps/${appId}`;
  return {
    appDir,
    dataDir: `${appDir}/data`,
    maintenanceDir: `${appDir}/maintenance`,
    configPath: (releaseId: string) => `${appDir}/releases/${releaseId}/odoo.conf`,
  };
}

/** The server of a deployment with its private key, for the host layer. Never logged. */
export async function hostServer(engine: EngineResource, deployment: Deployment): Promise<HostServer> {
  const { server } = deployment;
  const key = await engine.serverPrivateKey(server.id);
  return {
    name: server.name,
    host: server.ssh.host,
    port: server.ssh.port,
    username: server.ssh.username,
    privateKey: key.reveal(),
    dockerSocketPath: server.dockerSocketPath,
  };
}
