import type { StackPorts } from './types.js';

/** Loopback ports of the local stack; chosen high and unusual so they rarely collide. */
export const DEFAULT_PORTS: Readonly<StackPorts> = Object.freeze({
  temporal: 17233,
  temporalUi: 18233,
  ssh: 12222,
  ssh2: 12223,
  postgres: 15432,
  nginxHttp: 18080,
  nginxHttps: 18443,
  pebble: 14000,
  pebbleManagement: 15000,
  challtestsrvManagement: 18055,
  challtestsrvDns: 18053,
});

/** `temporalUi` -> `CLOUDWADY_PORT_TEMPORAL_UI`. */
export function portEnvName(name: keyof StackPorts): string {
  return `CLOUDWADY_PORT_${name.replace(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase()}`;
}

function parsePort(value: string, source: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${source}=${JSON.stringify(value)} is not a TCP port (1-65535)`);
  }
  return port;
}

/** Defaults, then env CLOUDWADY_PORT_<NAME>, then explicit options (the most specific wins). */
export function resolvePorts(
  overrides: Partial<StackPorts> = {},
  env: NodeJS.ProcessEnv = process.env,
): StackPorts {
  const ports = { ...DEFAULT_PORTS };
  for (const name of Object.keys(DEFAULT_PORTS) as (keyof StackPorts)[]) {
    const fromEnv = env[portEnvName(name)];
    if (fromEnv !== undefined && fromEnv !== '') ports[name] = parsePort(fromEnv, portEnvName(name));
    const fromOptions = overrides[name];
    if (fromOptions !== undefined) ports[name] = parsePort(String(fromOptions), `ports.${name}`);
  }
  const seen = new Map<number, string>();
  for (const [name, port] of Object.entries(ports)) {
    const other = seen.get(port);
    if (other)
      throw new Error(`ports.${name} and ports.${other} are both ${port}: give each service its own port`);
    seen.set(port, name);
  }
  return ports;
}
