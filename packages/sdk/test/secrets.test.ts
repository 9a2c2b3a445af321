// The Secret wrapper and the AES-256-GCM box.
import { inspect } from 'node:util';
import { generateAdminPassword, OperationFailedError, Secret, ValidationError } from '@cloudwady/sdk';
import { describe, expect, it } from 'vitest';
import { generateSecretKey, parseSecretKey, SecretBox } from '../src/secrets.js';

describe('Secret', () => {
  it('prints [redacted] in every form, and reveals only on request', () => {
    const secret = new Secret('hunter2');
    const holder = { nested: { secret }, list: [secret] };
    for (const text of [
      String(secret),
      `${secret}`,
      JSON.stringify(holder),
      inspect(holder, { depth: 10 }),
      inspect(secret, { showHidden: true }),
    ]) {
      expect(text).not.toContain('hunter2');
      expect(text).toContain('[redacted]');
    }
    expect(Object.keys(secret)).toEqual([]);
    expect(secret.reveal()).toBe('hunter2');
  });

  it('generates admin passwords from the CSPRNG', () => {
    const seen = new Set(Array.from({ length: 200 }, () => generateAdminPassword().reveal()));
    expect(seen.size).toBe(200);
    for (const password of seen) expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });
});

describe('SecretBox', () => {
  const box = new SecretBox(generateSecretKey());

  it('seals with a fresh IV and opens only with the same key and context', () => {
    const a = box.seal(new Secret('pw'), 'app:1:admin_password');
    const b = box.seal(new Secret('pw'), 'app:1:admin_password');
    expect(a).not.toBe(b);
    expect(a).not.toContain('pw');
    expect(box.open(a, 'app:1:admin_password').reveal()).toBe('pw');
    expect(() => box.open(a, 'app:2:admin_password')).toThrow(OperationFailedError);
    expect(() => new SecretBox(generateSecretKey()).open(a, 'app:1:admin_password')).toThrow(
      /CLOUDWADY_SECRET_KEY/,
    );
    const [v, iv, tag, data] = a.split(':');
    const flipped = Buffer.from(data as string, 'base64');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(() =>
      box.open([v, iv, tag, flipped.toString('base64')].join(':'), 'app:1:admin_password'),
    ).toThrow(OperationFailedError);
    expect(() => box.open('garbage', 'x')).toThrow(OperationFailedError);
    expect(inspect(box)).not.toMatch(/[A-Za-z0-9+/]{40}/);
  });

  it('accepts only 32-byte base64 keys', () => {
    expect(parseSecretKey(generateSecretKey().toString('base64')).length).toBe(32);
    for (const bad of [
      '',
      'short',
      Buffer.alloc(16).toString('base64'),
      `${Buffer.alloc(32).toString('base64')}!`,
    ]) {
      expect(() => parseSecretKey(bad)).toThrow(ValidationError);
    }
  });
});
