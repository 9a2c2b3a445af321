import { describe, expect, it } from 'vitest';
import {
  CommandInputError,
  containerName,
  dockerCommands as docker,
  imageRef,
  odooMounts,
  shortRelease,
} from '../src/commands/index.js';

const spec = {
  appId: 'acme-erp',
  release: '01HZX3Q9K2ABCDEF',
  image: 'cloudwady/acme-erp:0123456789abcdef',
  mounts: odooMounts({
    configPath: '/srv/cloudwady/acme-erp/odoo.conf',
    dataDir: '/srv/cloudwady/acme-erp/data',
  }),
};

describe('names', () => {
  it('derives deterministic container names and image tags', () => {
    expect(shortRelease('01HZX3Q9K2ABCDEF')).toBe('01hzx3q9k2ab');
    expect(containerName('acme-erp', '01HZX3Q9K2ABCDEF')).toBe('cw-acme-erp-01hzx3q9k2ab');
    expect(containerName('acme-erp', '7')).toBe('cw-acme-erp-7');
    expect(imageRef('acme-erp', 'a'.repeat(64))).toBe('cloudwady/acme-erp:aaaaaaaaaaaaaaaa');
  });

  it('refuses ids that are not names', () => {
    for (const bad of ['Acme', '-x', 'a b', 'a;b', '$(id)', '', 'a\nb']) {
      expect(() => containerName(bad, 'r1')).toThrow(CommandInputError);
    }
    for (const bad of ['-r', 'r 1', 'r/1', '$(id)', '`id`', 'r\n1']) {
      expect(() => containerName('app', bad)).toThrow(CommandInputError);
    }
    expect(() => imageRef('app', 'not-hex-fingerprint')).toThrow(CommandInputError);
  });
});

describe('docker CLI commands', () => {
  it('runs a release on the host network, detached, labelled, with its mounts', () => {
    expect(
      docker.run({
        ...spec,
        envFile: '/srv/cloudwady/acme-erp/env',
        command: ['odoo', '-c', '/etc/odoo/odoo.conf'],
      }),
    ).toEqual([
      'docker',
      'run',
      '--detach',
      '--name',
      'cw-acme-erp-01hzx3q9k2ab',
      '--network',
      'host',
      '--restart',
      'unless-stopped',
      '--label',
      'org.cloudwady.app=acme-erp',
      '--label',
      'org.cloudwady.release=01HZX3Q9K2ABCDEF',
      '--env-file',
      '/srv/cloudwady/acme-erp/env',
      '--mount',
      'type=bind,source=/srv/cloudwady/acme-erp/odoo.conf,target=/etc/odoo/odoo.conf,readonly',
      '--mount',
      'type=bind,source=/srv/cloudwady/acme-erp/data,target=/var/lib/odoo',
      'cloudwady/acme-erp:0123456789abcdef',
      'odoo',
      '-c',
      '/etc/odoo/odoo.conf',
    ]);
  });

  it('keeps env values off the command line', () => {
    expect(() => docker.run({ ...spec, env: { PASSWORD: 'secret' } })).toThrow(/envFile/);
  });

  it('refuses mount paths that would change the mount spec', () => {
    for (const source of ['/a,target=/etc', '/a b', 'relative', '/a/../etc', '/a\n']) {
      expect(() => docker.run({ ...spec, mounts: [{ source, target: '/x' }] })).toThrow(CommandInputError);
    }
  });

  it('builds the small container and image commands', () => {
    const name = 'cw-acme-erp-01hzx3q9k2ab';
    expect(docker.start(name)).toEqual(['docker', 'start', name]);
    expect(docker.stop(name)).toEqual(['docker', 'stop', name]);
    expect(docker.stop(name, { timeoutSeconds: 30 })).toEqual(['docker', 'stop', '--time', '30', name]);
    expect(docker.restart(name)).toEqual(['docker', 'restart', name]);
    expect(docker.remove(name)).toEqual(['docker', 'rm', name]);
    expect(docker.remove(name, { force: true })).toEqual(['docker', 'rm', '--force', name]);
    expect(docker.logs(name, { tail: 100, since: '10m', timestamps: true })).toEqual([
      'docker',
      'logs',
      '--timestamps',
      '--tail',
      '100',
      '--since',
      '10m',
      name,
    ]);
    expect(docker.logs(name, { follow: true })).toEqual(['docker', 'logs', '--follow', name]);
    expect(docker.inspectContainer(name, '{{.State.Status}}')).toEqual([
      'docker',
      'container',
      'inspect',
      '--format',
      '{{.State.Status}}',
      name,
    ]);
    expect(docker.inspectImage('odoo:17.0')).toEqual(['docker', 'image', 'inspect', 'odoo:17.0']);
    expect(docker.tag('cloudwady/a:0123456789abcdef', 'cloudwady/a:current')).toEqual([
      'docker',
      'image',
      'tag',
      'cloudwady/a:0123456789abcdef',
      'cloudwady/a:current',
    ]);
    expect(docker.removeImage('cloudwady/a:old', { force: true })).toEqual([
      'docker',
      'image',
      'rm',
      '--force',
      'cloudwady/a:old',
    ]);
    expect(docker.listAppContainers('acme-erp', { all: true })).toEqual([
      'docker',
      'ps',
      '--all',
      '--filter',
      'label=org.cloudwady.app=acme-erp',
      '--format',
      '{{.Names}}',
    ]);
    expect(docker.exec(name, ['odoo', 'neutralize', '-d', 'db'])).toEqual([
      'docker',
      'exec',
      name,
      'odoo',
      'neutralize',
      '-d',
      'db',
    ]);
  });

  it('refuses option-like or hostile names, images and values', () => {
    expect(() => docker.start('--privileged')).toThrow(CommandInputError);
    expect(() => docker.stop('x; rm -rf /')).toThrow(CommandInputError);
    expect(() => docker.inspectImage('--help')).toThrow(CommandInputError);
    expect(() => docker.tag('ok:1', '$(id)')).toThrow(CommandInputError);
    expect(() => docker.logs('c1', { since: '10m; id' })).toThrow(CommandInputError);
    expect(() => docker.logs('c1', { tail: -1 })).toThrow(CommandInputError);
    expect(() => docker.inspectContainer('c1', '{{.Id}}\nx')).toThrow(CommandInputError);
    expect(() => docker.exec('c1', [])).toThrow(CommandInputError);
  });

  it('passes hostile container argv as inert elements', () => {
    const argv = docker.exec('c1', ['echo', '$(id)', '; rm -rf /', 'a\nb']);
    expect(argv.slice(3)).toEqual(['echo', '$(id)', '; rm -rf /', 'a\nb']);
    expect(() => docker.exec('c1', ['a\0b'])).toThrow(CommandInputError);
  });
});
