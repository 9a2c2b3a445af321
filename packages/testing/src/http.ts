// A tiny HTTP(S) client for readiness checks: no dependency, a short timeout, no proxies.
import http from 'node:http';
import https from 'node:https';

export interface HttpRequest {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** PEM text of a CA to trust (Pebble's own HTTPS). */
  ca?: string;
  /** Talk HTTP over a unix socket (Docker's API); `url` then gives only the path. */
  socketPath?: string;
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export function httpRequest(request: HttpRequest): Promise<HttpResponse> {
  const url = new URL(request.url);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: request.method ?? 'GET',
        headers: request.headers,
        ca: request.ca,
        socketPath: request.socketPath,
        agent: false,
        timeout: request.timeoutMs ?? 3000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`${request.url}: no answer within ${request.timeoutMs ?? 3000} ms`)),
    );
    req.on('error', reject);
    req.end(request.body);
  });
}
