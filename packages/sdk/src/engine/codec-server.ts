// A Temporal codec server: the Temporal Web UI (or `temporal workflow show --codec-endpoint`)
// posts encrypted payloads here and gets them back readable. Only callers presenting the token
// are served, so only the people it is given to can read run inputs and logs in the UI.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Payload } from '@temporalio/common';
import { PayloadEncryptionCodec } from './codec.js';

export interface CodecServerOptions {
  payloadKey: Buffer;
  /** Required bearer token (Authorization: Bearer <token>). */
  token: string;
  /** The Temporal UI's origin, allowed by CORS (e.g. http://127.0.0.1:18233). */
  uiOrigin: string;
  port?: number;
  host?: string;
}

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

const fromJson = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')]),
  ),
  data: Buffer.from(p.data ?? '', 'base64'),
});

const toJson = (p: Payload): JsonPayload => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
  ),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Starts the codec server; resolves once it listens. */
export async function startCodecServer(
  options: CodecServerOptions,
): Promise<{ server: Server; url: string }> {
  const codec = new PayloadEncryptionCodec(options.payloadKey);
  const server = createServer(async (req, res) => {
    res.setHeader('Access-Control-Allow-Origin', options.uiOrigin);
    res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', 'Content-Type, Authorization, X-Namespace');
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    if (req.headers.authorization !== `Bearer ${options.token}`) return void res.writeHead(401).end();
    const action = req.url === '/decode' ? 'decode' : req.url === '/encode' ? 'encode' : null;
    if (req.method !== 'POST' || !action) return void res.writeHead(404).end();
    try {
      const { payloads } = JSON.parse(await body(req)) as { payloads: JsonPayload[] };
      const out = await codec[action](payloads.map(fromJson));
      res
        .writeHead(200, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ payloads: out.map(toJson) }));
    } catch {
      res.writeHead(400).end();
    }
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return { server, url: `http://${host}:${port}` };
}
