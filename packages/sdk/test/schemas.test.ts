// Field validation that guards shells, config files and URLs.

import {
  addUrlInputSchema,
  appConfigSchema,
  branchNameSchema,
  commitShaSchema,
  createServerInputSchema,
  DEFAULT_APP_CONFIG,
  databaseNameSchema,
  debianPackageSchema,
  isCronExpression,
  isValidBranchName,
  parseConfigPatch,
  repositoryUrlSchema,
} from '@cloudwady/sdk';
import { describe, expect, it } from 'vitest';

describe('schemas', () => {
  it('accepts Git branch names as git check-ref-format does, never an option', () => {
    for (const ok of ['main', '17.0', 'feature/x', 'fix-1.2', 'release/18.0-hotfix', 'a@b', 'ÿ'])
      expect(isValidBranchName(ok), ok).toBe(true);
    for (const bad of [
      '',
      '-main',
      '--upload-pack=x',
      'a..b',
      'a.lock',
      'a/.b',
      'a/',
      '/a',
      'a//b',
      'a.',
      'a b',
      'a\tb',
      'a~',
      'a^',
      'a:b',
      'a?',
      'a*',
      'a[',
      'a\\b',
      '@',
      'HEAD',
      'a@{b',
      'a\u007f',
    ]) {
      expect(isValidBranchName(bad), JSON.stringify(bad)).toBe(false);
    }
    expect(branchNameSchema.parse('  main ')).toBe('main');
  });

  it('accepts Git URLs and refuses option-like or shell-like ones', () => {
    for (const ok of [
      'https://github.com/acme/shop.git',
      'ssh://git@host:2222/acme/shop.git',
      'git@github.com:acme/shop.git',
      'file:///srv/git/shop.git',
    ]) {
      expect(repositoryUrlSchema.safeParse(ok).success, ok).toBe(true);
    }
    for (const bad of [
      '-oProxyCommand=x',
      'github.com/acme',
      'https://h/a b',
      "https://h/a'b",
      'git@host:-x',
      'ext::sh -c touch%20/tmp/x',
    ]) {
      expect(repositoryUrlSchema.safeParse(bad).success, bad).toBe(false);
    }
  });

  it('validates database names, Debian packages, commit SHAs and cron expressions', () => {
    expect(databaseNameSchema.safeParse('shop_prod.v2-1').success).toBe(true);
    for (const bad of ['', '_x', '-x', 'a b', 'a;b', 'x'.repeat(64), 'ünï'])
      expect(databaseNameSchema.safeParse(bad).success, bad).toBe(false);
    expect(debianPackageSchema.safeParse('libxml2-dev').success).toBe(true);
    expect(debianPackageSchema.safeParse('g++').success).toBe(true);
    for (const bad of ['a', 'Libxml', '-x', 'x;y', 'x y', 'x=1'])
      expect(debianPackageSchema.safeParse(bad).success, bad).toBe(false);
    expect(commitShaSchema.parse('A'.repeat(40))).toBe('a'.repeat(40));
    expect(commitShaSchema.safeParse('abc123').success).toBe(false);
    for (const ok of ['0 3 * * *', '*/15 * * * 1-5', '0 0 1,15 * 0', '5 4 * 12 7'])
      expect(isCronExpression(ok), ok).toBe(true);
    for (const bad of [
      '',
      '* * * *',
      '60 * * * *',
      '* 24 * * *',
      '0 0 0 * *',
      '@daily',
      '0 3 * * MON',
      '*/0 * * * *',
      '5-1 * * * *',
    ]) {
      expect(isCronExpression(bad), bad).toBe(false);
    }
  });

  it('parses config patches strictly', () => {
    expect(parseConfigPatch('[options]\n\n; c\n# c\nlog_level = info\nlimit_time_cpu=600')).toEqual({
      lines: [
        { key: 'log_level', value: 'info' },
        { key: 'limit_time_cpu', value: '600' },
      ],
      problems: [],
    });
    const { problems } = parseConfigPatch(
      '[queue_job]\nadmin_passwd = x\nfoo\nBad = 1\na = 1\na = 2\nb = x\rc = y',
    );
    expect(problems).toEqual([
      'line 1: only the [options] section may appear, not [queue_job]',
      expect.stringMatching(/^line 2: "admin_passwd" is managed by the platform/),
      'line 3: expected "key = value" with a lower-case key',
      'line 4: expected "key = value" with a lower-case key',
      'line 6: "a" is set twice (odoo.conf rejects duplicate keys)',
      'line 7: control characters (such as a carriage return) are not allowed',
    ]);
    const config = appConfigSchema.safeParse({
      ...DEFAULT_APP_CONFIG,
      databaseName: 'x',
      configPatch: 'list_db = True',
    });
    expect(config.success).toBe(false);
  });

  it('normalises domains and refuses anything that is not a bare domain', () => {
    expect(addUrlInputSchema.parse({ domain: ' Shop.Example.COM ' })).toEqual({
      domain: 'shop.example.com',
      sslProvider: 'none',
    });
    for (const bad of [
      'shop',
      'shop..com',
      'http://shop.com',
      'shop.com/x',
      '*.shop.com',
      `${'a'.repeat(64)}.com`,
      'shop_1.com',
    ]) {
      expect(addUrlInputSchema.safeParse({ domain: bad }).success, bad).toBe(false);
    }
  });

  it('fills server defaults and refuses shell strings as proxy commands', () => {
    const key = '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n';
    const server = createServerInputSchema.parse({
      projectId: `prj_${'0'.repeat(16)}`,
      name: 's',
      ssh: { host: 'H.Example.org', username: 'root', privateKey: key },
    });
    expect(server).toMatchObject({
      ssh: { host: 'h.example.org', port: 22 },
      dockerSocketPath: '/var/run/docker.sock',
      labels: {},
    });
    expect(server.proxy).toEqual({
      kind: 'nginx',
      sitesDir: '/etc/nginx/conf.d',
      reloadArgv: ['nginx', '-s', 'reload'],
      testArgv: ['nginx', '-t'],
    });
    const bad = createServerInputSchema.safeParse({
      projectId: `prj_${'0'.repeat(16)}`,
      name: 's',
      ssh: { host: 'h; rm -rf /', username: 'root', privateKey: key },
      proxy: { sitesDir: '/etc/nginx/../x', reloadArgv: [] },
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'proxy.reloadArgv',
      'proxy.sitesDir',
      'ssh.host',
    ]);
  });
});
