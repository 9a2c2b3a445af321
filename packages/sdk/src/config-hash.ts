// The identity of a configuration: same fields, same hash, whatever the key order. Releases
// record it so a build fingerprint changes when the configuration does.
import { createHash } from 'node:crypto';
import type { AppConfig } from './schemas/config.js';

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([key, v]) => `${JSON.stringify(key)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function configHash(config: AppConfig): string {
  return createHash('sha256').update(canonical(config)).digest('hex');
}
