// Secrets (admin passwords, SSH private keys) are encrypted at rest with AES-256-GCM and handed
// out only inside a `Secret`, whose every printable form is '[redacted]': a secret that ends up
// in a log line, an error or JSON by accident shows nothing.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { OperationFailedError, ValidationError } from './errors.js';

const REDACTED = '[redacted]';

export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The plaintext. Call it at the last moment, where the value is used. */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}

export const SECRET_KEY_BYTES = 32;

/** Parses a base64 AES-256 key (CLOUDWADY_SECRET_KEY). */
export function parseSecretKey(base64: string, path: PropertyKey[] = ['secretKey']): Buffer {
  const key = /^[A-Za-z0-9+/_-]+={0,2}$/.test(base64.trim()) ? Buffer.from(base64.trim(), 'base64') : null;
  if (!key || key.length !== SECRET_KEY_BYTES) {
    throw ValidationError.forField(
      path,
      `The secret key must be ${SECRET_KEY_BYTES} random bytes in base64: make one with \`openssl rand -base64 32\`.`,
    );
  }
  return key;
}

export function generateSecretKey(): Buffer {
  return randomBytes(SECRET_KEY_BYTES);
}

/** A new Odoo master (admin) password from the CSPRNG: 24 bytes, URL-safe. */
export function generateAdminPassword(): Secret {
  return new Secret(randomBytes(24).toString('base64url'));
}

const FORMAT = 'v1';

/**
 * Seals and opens secrets. `context` (e.g. "app:app_x:admin_password") is bound as associated
 * data, so a ciphertext copied into another row or column does not open there.
 */
export class SecretBox {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== SECRET_KEY_BYTES) throw new Error('SecretBox needs a 32-byte key');
    this.#key = Buffer.from(key);
  }

  seal(secret: Secret, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(secret.reveal(), 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [FORMAT, iv.toString('base64'), tag.toString('base64'), ciphertext.toString('base64')].join(':');
  }

  open(sealed: string, context: string): Secret {
    const [format, iv, tag, ciphertext] = sealed.split(':');
    if (format !== FORMAT || iv === undefined || tag === undefined || ciphertext === undefined) {
      throw new OperationFailedError('A stored secret is not in a format this SDK reads.', { context });
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      const plaintext = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]);
      return new Secret(plaintext.toString('utf8'));
    } catch {
      throw new OperationFailedError(
        'A stored secret does not open with this secret key: every machine must use the same CLOUDWADY_SECRET_KEY.',
        { context },
      );
    }
  }

  [inspect.custom](): string {
    return 'SecretBox [redacted]';
  }

  toJSON(): string {
    return REDACTED;
  }
}
