import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { PayloadEncryptionCodec, startCodecServer } from '../src/index.js';

const key = randomBytes(32);
const plain = {
  metadata: { encoding: Buffer.from('json/plain') },
  data: Buffer.from('{"password":"hunter2"}'),
};

describe('payload codec', () => {
  it('encrypts payloads so the secret is gone, and decrypts them back', async () => {
    const codec = new PayloadEncryptionCodec(key);
    const [sealed] = await codec.encode([plain]);
    expect(Buffer.from(sealed?.data ?? []).includes('hunter2')).toBe(false);
    expect(Buffer.from(sealed?.metadata?.encoding ?? []).toString()).toBe('binary/encrypted');
    const [opened] = await codec.decode([sealed as typeof plain]);
    expect(Buffer.from(opened?.data ?? []).toString()).toBe('{"password":"hunter2"}');
    await expect(
      new PayloadEncryptionCodec(randomBytes(32)).decode([sealed as typeof plain]),
    ).rejects.toThrow();
  });

  describe('codec server for the Temporal UI', async () => {
    const { server, url } = await startCodecServer({
      payloadKey: key,
      token: 't0ken',
      uiOrigin: 'http://127.0.0.1:18233',
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const [sealed] = await new PayloadEncryptionCodec(key).encode([plain]);
    const request = {
      payloads: [
        {
          metadata: Object.fromEntries(
            Object.entries(sealed?.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
          ),
          data: Buffer.from(sealed?.data ?? []).toString('base64'),
        },
      ],
    };

    it('decodes for a caller with the token', async () => {
      const res = await fetch(`${url}/decode`, {
        method: 'POST',
        headers: { authorization: 'Bearer t0ken', 'content-type': 'application/json' },
        body: JSON.stringify(request),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:18233');
      const { payloads } = (await res.json()) as { payloads: { data: string }[] };
      expect(Buffer.from(payloads[0]?.data ?? '', 'base64').toString()).toContain('hunter2');
    });

    it('refuses a caller without it', async () => {
      const res = await fetch(`${url}/decode`, { method: 'POST', body: JSON.stringify(request) });
      expect(res.status).toBe(401);
    });
  });
});
