import { X509Certificate } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import https from 'node:https';
import { join } from 'node:path';
import acme from 'acme-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRequest } from '../src/http.js';
import { type Stack, startStack } from '../src/index.js';

describe('local stack: ACME (Pebble) with HTTP-01 through nginx', () => {
  const domain = 'smoke-acme.localhost';
  const tokenFiles: string[] = [];
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ services: ['nginx', 'pebble'] });
    // Trust Pebble's own HTTPS in code: acme-client talks through its exported axios instance.
    acme.axios.defaults.httpsAgent = new https.Agent({ ca: await readFile(stack.pebble.tlsCaPath) });
  });

  afterAll(async () => {
    await Promise.all(tokenFiles.map((file) => rm(file, { force: true })));
    await stack?.stop();
  });

  it(`creates an account and gets a certificate for ${domain}`, async () => {
    const client = new acme.Client({
      directoryUrl: stack.pebble.directoryUrl,
      accountKey: await acme.crypto.createPrivateKey(),
    });
    const account = await client.createAccount({
      termsOfServiceAgreed: true,
      contact: ['mailto:ops@example.com'],
    });
    expect(account.status).toBe('valid');

    const order = await client.createOrder({ identifiers: [{ type: 'dns', value: domain }] });
    for (const authorization of await client.getAuthorizations(order)) {
      const challenge = authorization.challenges.find((c) => c.type === 'http-01');
      if (!challenge) throw new Error('Pebble offered no http-01 challenge');
      const keyAuthorization = await client.getChallengeKeyAuthorization(challenge);
      const file = join(stack.nginx.acmeChallengeDir, challenge.token);
      tokenFiles.push(file);
      await writeFile(file, keyAuthorization);
      // What Pebble's validator will fetch (its DNS answers 127.0.0.1 for every name).
      const served = await httpRequest({
        url: `http://127.0.0.1:${stack.nginx.httpPort}/.well-known/acme-challenge/${challenge.token}`,
        headers: { host: domain },
      });
      expect(served.status).toBe(200);
      expect(served.body).toBe(keyAuthorization);
      await client.completeChallenge(challenge);
      await client.waitForValidStatus(challenge);
    }

    const [, csr] = await acme.crypto.createCsr({ commonName: domain });
    await client.finalizeOrder(order, csr);
    const pem = await client.getCertificate(order);
    const [leafPem, issuerPem] = pem.split(/(?<=-----END CERTIFICATE-----)\s*/).filter(Boolean);
    if (!leafPem || !issuerPem) throw new Error(`expected a leaf and its issuer, got:\n${pem}`);
    const leaf = new X509Certificate(leafPem);
    expect(leaf.subjectAltName).toContain(`DNS:${domain}`);
    expect(leaf.checkIssued(new X509Certificate(issuerPem))).toBe(true);
  });
});
