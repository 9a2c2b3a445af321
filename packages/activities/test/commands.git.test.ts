import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandInputError, gitCommands as git } from '../src/commands/index.js';

describe('git commands', () => {
  it('builds exact argv with options before the separator', () => {
    expect(git.cloneMirror('https://github.com/acme/erp.git', '/srv/cw/git/acme-erp.git')).toEqual([
      'git',
      'clone',
      '--mirror',
      '--',
      'https://github.com/acme/erp.git',
      '/srv/cw/git/acme-erp.git',
    ]);
    expect(git.fetch('/srv/cw/git/a.git')).toEqual([
      'git',
      '--git-dir',
      '/srv/cw/git/a.git',
      'fetch',
      '--prune',
      '--',
      'origin',
    ]);
    expect(git.fetch('/srv/cw/git/a.git', { branch: '17.0-feature/x' })).toEqual([
      'git',
      '--git-dir',
      '/srv/cw/git/a.git',
      'fetch',
      '--prune',
      '--',
      'origin',
      '+refs/heads/17.0-feature/x:refs/heads/17.0-feature/x',
    ]);
    expect(git.revParse('/srv/cw/git/a.git', 'main')).toEqual([
      'git',
      '--git-dir',
      '/srv/cw/git/a.git',
      'rev-parse',
      '--verify',
      '--quiet',
      '--end-of-options',
      'refs/heads/main^{commit}',
    ]);
    expect(git.lsRemote('git@github.com:acme/erp.git', 'main')).toEqual([
      'git',
      'ls-remote',
      '--heads',
      '--',
      'git@github.com:acme/erp.git',
      'refs/heads/main',
    ]);
    const sha = 'a'.repeat(40);
    expect(git.archive('/srv/cw/git/a.git', sha, { outputPath: '/tmp/src.tar', prefix: 'src' })).toEqual([
      'git',
      '--git-dir',
      '/srv/cw/git/a.git',
      'archive',
      '--format=tar',
      '--prefix=src/',
      '--output=/tmp/src.tar',
      '--end-of-options',
      sha,
    ]);
  });

  it('rejects hostile branch names that git itself would refuse, or that look like options', () => {
    for (const bad of [
      ';rm -rf /',
      '$(touch x)',
      '--upload-pack=touch /tmp/x',
      '-b',
      'a\nb',
      'a b',
      'a..b',
      'a~1',
      'x.lock',
      '/x',
      'x/',
      '.hidden',
      '@',
      'a@{1}',
      '',
    ]) {
      expect(() => git.revParse('/r.git', bad), bad).toThrow(CommandInputError);
    }
  });

  it('keeps branch names git accepts, like $(id), as one inert element', () => {
    expect(git.revParse('/r.git', '$(id)').at(-1)).toBe('refs/heads/$(id)^{commit}');
    expect(git.fetch('/r.git', { branch: '`id`' }).at(-1)).toBe('+refs/heads/`id`:refs/heads/`id`');
  });

  it('rejects URLs that are options, transport helpers or local paths', () => {
    for (const bad of [
      '--upload-pack=touch /tmp/x',
      'ext::sh -c touch% /tmp/pwned',
      '/srv/repo',
      'https://-oProxyCommand=x/y',
      'git@-oProxyCommand=x:y',
      'https://github.com/a b',
      'https://github.com/a\nb',
      'fd::17',
    ]) {
      expect(() => git.cloneMirror(bad, '/srv/x.git'), bad).toThrow(CommandInputError);
    }
    expect(() => git.archive('/r.git', 'HEAD')).toThrow(CommandInputError);
    expect(() => git.archive('/r.git', '--output=/etc/x')).toThrow(CommandInputError);
  });
});

// The argv run by the real git: separators work and hostile refs stay inert.
describe('git commands against real git', () => {
  let dir: string;
  let marker: string;
  let hostileBranch: string;
  const sh = (argv: string[]) =>
    execFileSync(argv[0] as string, argv.slice(1), { encoding: 'utf8', stdio: 'pipe' });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cw-git-'));
    marker = join(dir, 'pwned');
    const work = join(dir, 'work');
    sh(['git', 'init', '--quiet', '--initial-branch=main', work]);
    writeFileSync(join(work, 'README'), 'hello\n');
    sh([
      'git',
      '-C',
      work,
      '-c',
      'user.email=t@example.com',
      '-c',
      'user.name=t',
      'commit',
      '--quiet',
      '--allow-empty',
      '-m',
      'one',
    ]);
    sh(['git', '-C', work, 'add', 'README']);
    sh([
      'git',
      '-C',
      work,
      '-c',
      'user.email=t@example.com',
      '-c',
      'user.name=t',
      'commit',
      '--quiet',
      '-m',
      'two',
    ]);
    // Valid to git (no spaces thanks to ${IFS}); a shell would run touch on the marker.
    hostileBranch = `$(touch\${IFS}${marker})`;
    sh(['git', '-C', work, 'branch', hostileBranch]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('mirrors, fetches, resolves and archives', () => {
    const mirror = join(dir, 'mirror.git');
    sh(git.cloneMirror(`file://${join(dir, 'work')}`, mirror));
    sh(git.fetch(mirror, { branch: 'main' }));
    const head = sh(git.revParse(mirror, 'main')).trim();
    expect(head).toMatch(/^[0-9a-f]{40}$/);
    sh(git.fetch(mirror, { branch: hostileBranch }));
    const weird = sh(git.revParse(mirror, hostileBranch)).trim();
    expect(weird).toBe(head);
    sh(git.archive(mirror, head, { outputPath: join(dir, 'src.tar'), prefix: 'src' }));
    expect(sh(['tar', '-tf', join(dir, 'src.tar')])).toContain('src/README');
    expect(sh(git.lsRemote(`file://${mirror}`, 'main'))).toContain(`${head}\trefs/heads/main`);
    expect(existsSync(marker)).toBe(false);
  });

  it('a missing branch is exit 1, not an error of argument parsing', () => {
    const mirror = join(dir, 'mirror.git');
    expect(() => sh(git.revParse(mirror, 'no-such-branch'))).toThrow(/status 1|Command failed/);
  });
});
