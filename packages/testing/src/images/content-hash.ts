import { createHash } from 'node:crypto';

/**
 * sha256 over the inputs of an image. Each part is length-prefixed so that moving bytes from
 * one part to the next changes the hash.
 */
export function contentHash(parts: Array<string | Uint8Array>): string {
  const hash = createHash('sha256');
  for (const part of parts) {
    const bytes = typeof part === 'string' ? Buffer.from(part, 'utf8') : part;
    hash.update(`${bytes.length}:`);
    hash.update(bytes);
  }
  return hash.digest('hex');
}
