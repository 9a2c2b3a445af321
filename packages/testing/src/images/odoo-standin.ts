import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { contentHash } from './content-hash.js';
import { dockerEnv, type ImageInfo, inspectImage, removeImageQuietly } from './docker.js';
import { runTool } from './tool.js';

// TEST FIXTURE: the Odoo stand-in image (fixtures/odoo-standin), one tag per Odoo version.
// The product targets real Odoo images; see docs/odoo-standin.md.

export const STANDIN_REPOSITORY = 'cloudwady/odoo-standin';
export const CONTENT_HASH_LABEL = 'org.cloudwady.content-hash';

export function standinTag(version: string): string {
  return `${STANDIN_REPOSITORY}:${version}`;
}

/** The fixture directory, found upwards from this module (src/images/ or a bundled dist/). */
export function standinFixtureDir(from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from, depth = 0; depth < 6; dir = dirname(dir), depth++) {
    const candidate = join(dir, 'fixtures', 'odoo-standin');
    if (existsSync(join(candidate, 'Dockerfile'))) return candidate;
  }
  throw new Error(`fixtures/odoo-standin/Dockerfile not found above ${from}`);
}

export interface StandinFixture {
  dir: string;
  dockerfile: Buffer;
  script: Buffer;
}

export async function readStandinFixture(dir = standinFixtureDir()): Promise<StandinFixture> {
  const [dockerfile, script] = await Promise.all([
    readFile(join(dir, 'Dockerfile')),
    readFile(join(dir, 'odoo')),
  ]);
  return { dir, dockerfile, script };
}

/** What the image is built from; a different hash means the image must be rebuilt. */
export function standinHash(fixture: StandinFixture, baseId: string, version: string): string {
  return contentHash([fixture.dockerfile, fixture.script, baseId, version]);
}

export function standinBuildArgv(fixtureDir: string, version: string, hash: string): string[] {
  return [
    'docker',
    'build',
    '--network',
    'host', // apt-get inside the build; the default bridge is off on these machines
    '--build-arg',
    `ODOO_VERSION=${version}`,
    '--label',
    `${CONTENT_HASH_LABEL}=${hash}`,
    '--tag',
    standinTag(version),
    fixtureDir,
  ];
}

export function isCurrent(image: ImageInfo | undefined, hash: string): boolean {
  return image?.labels[CONTENT_HASH_LABEL] === hash;
}

/** Builds `cloudwady/odoo-standin:<version>` unless the tag already carries `hash`. */
export async function ensureStandin(
  fixture: StandinFixture,
  baseId: string,
  version: string,
  log: (line: string) => void,
): Promise<void> {
  const tag = standinTag(version);
  const hash = standinHash(fixture, baseId, version);
  const previous = await inspectImage(tag);
  if (isCurrent(previous, hash)) {
    log(`${tag} up to date`);
    return;
  }
  const started = Date.now();
  log(`building ${tag} (TEST FIXTURE) ...`);
  await runTool(standinBuildArgv(fixture.dir, version, hash), {
    env: dockerEnv(),
    onLine: (line) => {
      if (/^Step \d+\/\d+ :/.test(line)) log(`  ${tag}: ${line.replace(/\s+/g, ' ').slice(0, 100)}`);
    },
  });
  const built = await inspectImage(tag);
  if (!isCurrent(built, hash))
    throw new Error(`docker build finished but ${tag} does not carry hash ${hash}`);
  if (previous && previous.id !== built?.id) await removeImageQuietly(previous.id);
  log(`${tag} built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
