// Encrypts every payload CloudWady puts into Temporal (workflow inputs, activity results, logs),
// so its history holds no readable secret even if a future step carried one. Search attributes
// and the summary stay readable: the Temporal UI filters and lists runs by them.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { ValidationError } from '../errors.js';

const ENCODING = 'binary/encrypted';
const CIPHER = 'aes-256-gcm';
const KEY_ID = 'cloudwady-aes-256-gcm';

const text = (value: string) => new TextEncoder().encode(value);

export class PayloadEncryptionCodec implements PayloadCodec {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) {
      throw new ValidationError('The payload key must be 32 bytes (base64 of 32 random bytes).', []);
    }
    this.#key = key;
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv(CIPHER, this.#key, iv);
      const plain = Buffer.from(JSON.stringify(toJsonPayload(payload)));
      const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return { metadata: { encoding: text(ENCODING), 'encryption-key-id': text(KEY_ID) }, data: sealed };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.encoding && Buffer.from(payload.metadata.encoding).toString();
      if (encoding !== ENCODING || !payload.data) return payload;
      const data = Buffer.from(payload.data);
      const decipher = createDecipheriv(CIPHER, this.#key, data.subarray(0, 12));
      decipher.setAuthTag(data.subarray(data.length - 16));
      const plain = Buffer.concat([decipher.update(data.subarray(12, data.length - 16)), decipher.final()]);
      return fromJsonPayload(JSON.parse(plain.toString()));
    });
  }
}

/** The payload key derived from the platform's secret key, when no separate one is given. */
export function derivePayloadKey(secretKey: Buffer): Buffer {
  return createHash('sha256').update('cloudwady payload codec v1\0').update(secretKey).digest();
}

interface JsonPayload {
  metadata: Record<string, string>;
  data: string;
}

function toJsonPayload(payload: Payload): JsonPayload {
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(payload.metadata ?? {}))
    metadata[key] = Buffer.from(value).toString('base64');
  return { metadata, data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64') };
}

function fromJsonPayload(json: JsonPayload): Payload {
  const metadata: Record<string, Uint8Array> = {};
  for (const [key, value] of Object.entries(json.metadata)) metadata[key] = Buffer.from(value, 'base64');
  return { metadata, data: Buffer.from(json.data, 'base64') };
}
