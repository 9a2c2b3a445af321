import { readFile } from 'node:fs/promises';

// debootstrap fetches from the same Debian mirror the machine's apt already uses, so it works
// wherever apt works (the only registry-like source these machines reach).

export const FALLBACK_MIRROR = 'http://deb.debian.org/debian';

/**
 * The main Debian mirror of the machine's apt sources: the deb822 stanza (debian.sources) that
 * serves `suite` itself (not -security/-updates), else the matching one-line `deb` entry.
 */
export function parseAptMirror(
  sources: { deb822?: string; list?: string },
  suite = 'bookworm',
): string | undefined {
  for (const stanza of (sources.deb822 ?? '').split(/\n\s*\n/)) {
    const field = (name: string) =>
      stanza
        .split('\n')
        .find((line) => line.toLowerCase().startsWith(`${name.toLowerCase()}:`))
        ?.slice(name.length + 1)
        .trim()
        .split(/\s+/) ?? [];
    const types = field('Types');
    if (types.length > 0 && !types.includes('deb')) continue;
    if (!field('Suites').includes(suite)) continue;
    const uri = field('URIs').find((u) => /^https?:\/\//.test(u));
    if (uri) return uri;
  }
  for (const raw of (sources.list ?? '').split('\n')) {
    // deb [options] URI suite components...
    const words = raw
      .replace(/#.*/, '')
      .replace(/\[[^\]]*\]/, '')
      .trim()
      .split(/\s+/);
    if (words[0] === 'deb' && words[2] === suite && /^https?:\/\//.test(words[1] ?? '')) return words[1];
  }
  return undefined;
}

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

export async function readAptMirror(suite = 'bookworm'): Promise<string> {
  const deb822 = await readIfPresent('/etc/apt/sources.list.d/debian.sources');
  const list = await readIfPresent('/etc/apt/sources.list');
  return parseAptMirror({ deb822, list }, suite) ?? FALLBACK_MIRROR;
}
