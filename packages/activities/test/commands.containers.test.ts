import { describe, expect, it } from 'vitest';
import { CommandInputError, containerRequests, odooMounts } from '../src/commands/index.js';

describe('Engine API container bodies', () => {
  it('creates a release container on the host network with labels, restart policy and mounts', () => {
    expect(
      containerRequests.createContainerRequest({
        appId: 'acme-erp',
        release: 'r42',
        image: 'odoo:17.0',
        command: ['odoo', '--http-port', '18069'],
        env: { PGPASSWORD: 's3cret', HOST: 'db' },
        mounts: odooMounts({ configPath: '/srv/cw/acme-erp/odoo.conf', dataDir: '/srv/cw/acme-erp/data' }),
        stopTimeoutSeconds: 20,
      }),
    ).toEqual({
      name: 'cw-acme-erp-r42',
      Image: 'odoo:17.0',
      Cmd: ['odoo', '--http-port', '18069'],
      Env: ['HOST=db', 'PGPASSWORD=s3cret'],
      Labels: { 'org.cloudwady.app': 'acme-erp', 'org.cloudwady.release': 'r42' },
      StopTimeout: 20,
      HostConfig: {
        NetworkMode: 'host',
        RestartPolicy: { Name: 'unless-stopped', MaximumRetryCount: 0 },
        Mounts: [
          {
            Type: 'bind',
            Source: '/srv/cw/acme-erp/odoo.conf',
            Target: '/etc/odoo/odoo.conf',
            ReadOnly: true,
          },
          { Type: 'bind', Source: '/srv/cw/acme-erp/data', Target: '/var/lib/odoo', ReadOnly: false },
        ],
        LogConfig: { Type: 'json-file', Config: { 'max-size': '50m', 'max-file': '3' } },
      },
    });
  });

  it('leaves Cmd out when the image default command is used', () => {
    const body = containerRequests.createContainerRequest({ appId: 'a', release: 'r1', image: 'odoo:18.0' });
    expect(body).not.toHaveProperty('Cmd');
    expect(body.HostConfig?.NetworkMode).toBe('host');
    expect(body.Env).toEqual([]);
  });

  it('refuses bad env names without echoing secret values', () => {
    expect(() =>
      containerRequests.createContainerRequest({
        appId: 'a',
        release: 'r1',
        image: 'odoo:18.0',
        env: { 'A B': 'x' },
      }),
    ).toThrow(CommandInputError);
    try {
      containerRequests.createContainerRequest({
        appId: 'a',
        release: 'r1',
        image: 'odoo:18.0',
        env: { TOKEN: 'very-secret\0value' },
      });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(CommandInputError);
      expect((err as Error).message).not.toContain('very-secret');
    }
    expect(() =>
      containerRequests.createContainerRequest({
        appId: 'a',
        release: 'r1',
        image: 'odoo:18.0',
        envFile: '/x',
      }),
    ).toThrow(CommandInputError);
  });

  it('lists an app by label and builds images with a deterministic tag on the host network', () => {
    expect(containerRequests.listAppContainersRequest('acme-erp')).toEqual({
      all: true,
      filters: { label: ['org.cloudwady.app=acme-erp'] },
    });
    const fingerprint = '0123456789abcdef0123456789abcdef';
    expect(
      containerRequests.imageBuildOptions({
        appId: 'acme-erp',
        fingerprint,
        dockerfile: 'docker/Dockerfile',
        buildArgs: { ODOO_VERSION: '17.0' },
      }),
    ).toEqual({
      t: 'cloudwady/acme-erp:0123456789abcdef',
      networkmode: 'host',
      rm: true,
      forcerm: true,
      labels: { 'org.cloudwady.app': 'acme-erp', 'org.cloudwady.fingerprint': fingerprint },
      dockerfile: 'docker/Dockerfile',
      buildargs: { ODOO_VERSION: '17.0' },
    });
    expect(() =>
      containerRequests.imageBuildOptions({ appId: 'a', fingerprint, dockerfile: '../Dockerfile' }),
    ).toThrow(CommandInputError);
  });
});
