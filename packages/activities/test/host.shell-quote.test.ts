import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HostCommandError, redactArgv, shellQuote } from '../src/host/index.js';

// printf prints each argument between NULs, so what the shell passed can be compared exactly.
function throughShell(shell: string, args: string[]): string[] {
  const out = execFileSync(shell, ['-c', shellQuote(['printf', '%s\\0', ...args])], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

const shells = ['/bin/sh', '/bin/bash', '/bin/dash'].filter((s) => {
  try {
    execFileSync(s, ['-c', 'true']);
    return true;
  } catch {
    return false;
  }
});

describe('shellQuote', () => {
  it('leaves safe words bare and single-quotes everything else', () => {
    expect(
      shellQuote(['docker', 'ps', '--filter', 'label=org.cloudwady.app=a', '--format', '{{.Names}}']),
    ).toBe("docker ps --filter 'label=org.cloudwady.app=a' --format '{{.Names}}'");
    expect(shellQuote(['echo', "it's"])).toBe("echo 'it'\\''s'");
    expect(shellQuote(['echo', ''])).toBe("echo ''");
    expect(shellQuote(['echo', '$(id)', '`id`', '; rm -rf /', 'a\nb', '*', '~', '!x', 'a b'])).toBe(
      "echo '$(id)' '`id`' '; rm -rf /' 'a\nb' '*' '~' '!x' 'a b'",
    );
    expect(shellQuote(['/usr/bin/git', '--git-dir', '/srv/a.git', 'rev-parse', 'refs/heads/main'])).toBe(
      '/usr/bin/git --git-dir /srv/a.git rev-parse refs/heads/main',
    );
  });

  it('quotes what the shell would read as an assignment or a keyword in command position', () => {
    expect(shellQuote(['A=1', 'touch', 'x'])).toBe("'A=1' touch x");
    expect(shellQuote(['if', 'true'])).toBe("'if' true");
    expect(shellQuote(['echo', 'if'])).toBe('echo if');
  });

  it('refuses empty argv, NUL bytes and non-strings', () => {
    expect(() => shellQuote([])).toThrow(TypeError);
    expect(() => shellQuote(['echo', 'a\0b'])).toThrow(TypeError);
    expect(() => shellQuote(['echo', 1 as unknown as string])).toThrow(TypeError);
  });

  it.each(shells)('round-trips hostile arguments through %s unchanged', (shell) => {
    const hostile = [
      '$(touch /tmp/cw-never)',
      '`touch /tmp/cw-never`',
      '; touch /tmp/cw-never',
      '| touch /tmp/cw-never',
      '&& touch /tmp/cw-never',
      "'; touch /tmp/cw-never; '",
      '"$HOME"',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal shell expansion is the point
      '${IFS}',
      'line1\nline2\r\n',
      '\\',
      "'''",
      '-n',
      '--upload-pack=touch /tmp/x',
      '*',
      '~root',
      '!!',
      '',
      ' lead and trail ',
      'ünïcødé ✓',
    ];
    expect(throughShell(shell, hostile)).toEqual(hostile);
  });

  it('round-trips any string without NUL (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ unit: 'binary' }).filter((s) => !s.includes('\0')),
          { minLength: 1, maxLength: 6 },
        ),
        (args) => {
          expect(throughShell('/bin/sh', args)).toEqual(args);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('redaction in command errors', () => {
  it('hides URL credentials and *PASSWORD= / *TOKEN= values', () => {
    expect(
      redactArgv([
        'git',
        'clone',
        'https://x-access-token:ghs_abc@github.com/a/b.git',
        'env',
        'PGPASSWORD=hunter2',
        'GITHUB_TOKEN=t0k',
        'plain=value',
      ]),
    ).toEqual([
      'git',
      'clone',
      'https://***@github.com/a/b.git',
      'env',
      'PGPASSWORD=***',
      'GITHUB_TOKEN=***',
      'plain=value',
    ]);
    const err = new HostCommandError(
      'server-1',
      ['env', 'PGPASSWORD=hunter2', 'psql'],
      'exit',
      2,
      null,
      'x'.repeat(5000),
    );
    expect(err.message).not.toContain('hunter2');
    expect(err.message).toContain('exited with code 2');
    expect(err.argv).toEqual(['env', 'PGPASSWORD=***', 'psql']);
    expect(err.stderrTail.length).toBeLessThanOrEqual(2003);
  });
});
