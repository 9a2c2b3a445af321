// Loopback port pairs for releases: P serves HTTP, P+1 is the gevent (/websocket) port. A pair
// is free when no CloudWady container claims either port by label (running or stopped: a
// stopped release keeps its ports for a rollback) and nothing listens on them on the server.
// Pure functions here; the executor that reads the server is in allocate-port.ts.
import { createHash } from 'node:crypto';
import { CommandInputError } from '../commands/validate.js';
import { portsFromLabels } from './labels.js';

export type PortRange = readonly [number, number];

export const DEFAULT_PORT_RANGE: PortRange = [20000, 29999];

export function validPortRange(range: PortRange | undefined): PortRange {
  const [low, high] = range ?? DEFAULT_PORT_RANGE;
  const ok = (n: number) => Number.isInteger(n) && n >= 1024 && n <= 65535;
  if (!ok(low) || !ok(high) || high - low < 1) {
    throw new CommandInputError(
      'portRange',
      'must be [low, high] with 1024 <= low < high <= 65535',
      `${low}-${high}`,
    );
  }
  return [low, high];
}

/** Listening TCP ports in `ss -ltnH` output ("LISTEN 0 128 127.0.0.1:8069 0.0.0.0:*"). */
export function parseSsListening(output: string): Set<number> {
  const ports = new Set<number>();
  for (const line of output.split('\n')) {
    const local = line.trim().split(/\s+/)[3];
    const match = local?.match(/:(\d+)$/);
    if (match?.[1] !== undefined) ports.add(Number(match[1]));
  }
  return ports;
}

/** Listening ports in /proc/net/tcp and tcp6 ("0: 0100007F:1F95 00000000:0000 0A ..."; 0A = LISTEN). */
export function parseProcNetTcp(text: string): Set<number> {
  const ports = new Set<number>();
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    const local = fields[1];
    if (fields[3] !== '0A' || local === undefined) continue;
    const hex = local.slice(local.lastIndexOf(':') + 1);
    if (/^[0-9A-Fa-f]{4}$/.test(hex)) ports.add(Number.parseInt(hex, 16));
  }
  return ports;
}

/** Ports that containers claim through their labels: each release holds P and P+1. */
export function claimedPorts(containers: { Labels?: Record<string, string> }[]): Set<number> {
  const ports = new Set<number>();
  for (const container of containers) {
    const claimed = portsFromLabels(container.Labels);
    if (claimed === null) continue;
    ports.add(claimed.port).add(claimed.port + 1);
    if (claimed.geventPort !== null) ports.add(claimed.geventPort);
  }
  return ports;
}

/**
 * The first free pair (P, P+1) in `range`, pairs aligned on the range's start. The scan starts
 * at a point derived from `seed` (the container name): concurrent allocations for different
 * releases usually try different pairs, and the same release asks for the same pair first.
 */
export function choosePortPair(range: PortRange, taken: ReadonlySet<number>, seed: string): number | null {
  const [low, high] = range;
  const pairs = Math.floor((high - low + 1) / 2);
  if (pairs < 1) return null;
  const start = createHash('sha256').update(seed).digest().readUInt32BE(0) % pairs;
  for (let i = 0; i < pairs; i++) {
    const port = low + 2 * ((start + i) % pairs);
    if (!taken.has(port) && !taken.has(port + 1)) return port;
  }
  return null;
}
