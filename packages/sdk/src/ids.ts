// Prefixed random ids ('app_...', 'prj_...'): the prefix says what a bare id points at, which
// makes logs and support questions readable; 80 random bits make collisions irrelevant.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';

export const ID_PREFIXES = {
  project: 'prj',
  environment: 'env',
  server: 'srv',
  app: 'app',
  branch: 'brn',
  url: 'url',
  release: 'rel',
  backup: 'bkp',
  restoration: 'rst',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lowercase
const BODY_LENGTH = 16;

export function newId(kind: IdKind): string {
  const bytes = randomBytes(BODY_LENGTH);
  let body = '';
  // 256 is a multiple of 32, so `byte % 32` is unbiased.
  for (const byte of bytes) body += ALPHABET[byte % 32];
  return `${ID_PREFIXES[kind]}_${body}`;
}

const idPattern = (kind: IdKind) => new RegExp(`^${ID_PREFIXES[kind]}_[${ALPHABET}]{${BODY_LENGTH}}$`);

/** Schema of one kind of id; a malformed id is a validation error, a well-formed unknown one is not found. */
export function idSchema(kind: IdKind) {
  const pattern = idPattern(kind);
  const expected = `expected ${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind} id ("${ID_PREFIXES[kind]}_" and ${BODY_LENGTH} characters)`;
  return z.string({ error: expected }).regex(pattern, { error: expected });
}
