import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { StackImages } from '../types.js';
import { BASE_IMAGE, buildBaseImage } from './base-image.js';
import { inspectImage } from './docker.js';
import { withLock } from './lock.js';
import { ensureStandin, isCurrent, readStandinFixture, standinHash, standinTag } from './odoo-standin.js';

// The stack's images, built from local files only: a debootstrap'd base image and, on top of
// it, the Odoo stand-in TEST FIXTURE for each Odoo version. Cached by content hash, so a
// second call only inspects the images (about a second).

export { parseAptMirror, readAptMirror } from './apt-mirror.js';
export { BASE_IMAGE } from './base-image.js';
export { CONTENT_HASH_LABEL, STANDIN_REPOSITORY, standinFixtureDir, standinTag } from './odoo-standin.js';
export { ToolError } from './tool.js';

export const DEFAULT_ODOO_VERSIONS = ['17.0', '18.0'];

export interface EnsureImagesOptions {
  /** The stack's state directory; the base rootfs is built in `<stateDir>/images/rootfs`. */
  stateDir: string;
  /** Progress lines. Default: silent. */
  log?: (line: string) => void;
  /** Odoo versions to build stand-ins for. Default ['17.0', '18.0']. */
  versions?: string[];
}

export async function ensureImages(options: EnsureImagesOptions): Promise<StackImages> {
  const log = options.log ?? (() => {});
  const versions = options.versions ?? DEFAULT_ODOO_VERSIONS;
  for (const version of versions) {
    if (!/^\d+\.\d+$/.test(version)) throw new Error(`Odoo version "${version}" must look like 17.0`);
  }
  const images: StackImages = {
    base: BASE_IMAGE,
    odoo: Object.fromEntries(versions.map((version) => [version, standinTag(version)])),
  };
  const fixture = await readStandinFixture();

  // Fast path without the lock: everything already built from the same inputs.
  const base = await inspectImage(BASE_IMAGE);
  if (base) {
    const current = await Promise.all(
      versions.map(async (v) =>
        isCurrent(await inspectImage(standinTag(v)), standinHash(fixture, base.id, v)),
      ),
    );
    if (current.every(Boolean)) {
      log(`images up to date: ${[BASE_IMAGE, ...Object.values(images.odoo)].join(', ')}`);
      return images;
    }
  }

  const dir = join(options.stateDir, 'images');
  await mkdir(dir, { recursive: true });
  return withLock(
    join(dir, 'build.lock'),
    async () => {
      let baseImage = await inspectImage(BASE_IMAGE); // again: another process may have built it
      if (!baseImage) {
        await buildBaseImage(options.stateDir, log);
        baseImage = await inspectImage(BASE_IMAGE);
        if (!baseImage) throw new Error(`docker import finished but ${BASE_IMAGE} is missing`);
      } else {
        log(`base image ${BASE_IMAGE} present`);
      }
      // One at a time: the versions share the apt layer from the legacy builder's cache.
      for (const version of versions) await ensureStandin(fixture, baseImage.id, version, log);
      return images;
    },
    { onWait: (holder) => log(`waiting for another image build (pid ${holder}) ...`) },
  );
}
