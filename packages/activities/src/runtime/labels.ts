// What the runtime writes on containers besides the app and release labels of commands/: the
// loopback ports a release listens on (so a retry, a restart or the port allocator can read
// them back from Docker, the only record that cannot drift) and what the container is for.
export const PORT_LABEL = 'org.cloudwady.port';
export const GEVENT_PORT_LABEL = 'org.cloudwady.gevent-port';
/** 'release' (serves HTTP) or 'once' (a one-off odoo/psql run). */
export const ROLE_LABEL = 'org.cloudwady.role';

export type ContainerRole = 'release' | 'once';

export interface ReleasePorts {
  port: number;
  geventPort: number | null;
}

function parsePort(text: string | undefined): number | null {
  if (text === undefined || !/^\d{1,5}$/.test(text)) return null;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : null;
}

/** The ports a release container was given, or null when it carries no port label. */
export function portsFromLabels(labels: Record<string, string> | undefined): ReleasePorts | null {
  const port = parsePort(labels?.[PORT_LABEL]);
  if (port === null) return null;
  return { port, geventPort: parsePort(labels?.[GEVENT_PORT_LABEL]) };
}

/** Labels of a release container's ports (no gevent label when it has no gevent port). */
export function portLabels({ port, geventPort }: ReleasePorts): Record<string, string> {
  return {
    [PORT_LABEL]: String(port),
    ...(geventPort === null ? {} : { [GEVENT_PORT_LABEL]: String(geventPort) }),
  };
}
