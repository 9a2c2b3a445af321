import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SshDockerAgent } from '../src/host/docker.js';
import { ServerLoopbackAgent } from '../src/runtime/loopback-http.js';

const server = {
  host: '127.0.0.1',
  port: 2222,
  username: 'root',
  privateKey: '-----BEGIN OPENSSH PRIVATE KEY-----\nsecret-key-material\n-----END OPENSSH PRIVATE KEY-----',
};

// docker-modem inspects every request's options (the agent included) deeply, debug log or not.
describe('agents under util.inspect', () => {
  it('print a name: no key material, and no walk through the SSH pool', () => {
    for (const agent of [new SshDockerAgent(server), new ServerLoopbackAgent(server)]) {
      const text = inspect({ agent }, { showHidden: true, depth: null });
      expect(text).not.toContain('secret-key-material');
      expect(text.length).toBeLessThan(200);
    }
  });
});
