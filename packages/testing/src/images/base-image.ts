import { readFile, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { readAptMirror } from './apt-mirror.js';
import { dockerEnv } from './docker.js';
import { pipeTools, runTool } from './tool.js';

// The base image every local image starts FROM: Debian bookworm from debootstrap, imported
// into Docker without any registry (none is reachable on the project's machines).

export const BASE_IMAGE = 'cloudwady/base:bookworm';

export function debootstrapArgv(rootfs: string, mirror: string): string[] {
  return ['debootstrap', '--variant=minbase', 'bookworm', rootfs, mirror];
}

/** `tar -C rootfs -c . | docker import ...`: numeric owners so the image keeps the rootfs's ids. */
export function importArgv(rootfs: string, tag: string): { tar: string[]; docker: string[] } {
  return {
    tar: ['tar', '--numeric-owner', '-C', rootfs, '-c', '.'],
    docker: [
      'docker',
      'import',
      '--change',
      'CMD ["/bin/bash"]',
      '--change',
      'LABEL org.cloudwady.image=base',
      '-',
      tag,
    ],
  };
}

/** Mount points at or under `dir` (as in /proc/self/mounts, whose paths escape spaces as \040). */
export function mountsUnder(mountsText: string, dir: string): string[] {
  const root = resolve(dir);
  return mountsText
    .split('\n')
    .map((line) => line.split(' ')[1] ?? '')
    .map((field) =>
      field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8))),
    )
    .filter((point) => point === root || point.startsWith(`${root}/`))
    .sort((a, b) => b.length - a.length);
}

/**
 * Removes a (possibly half-built) rootfs. An interrupted debootstrap can leave /proc or /sys
 * mounted inside it, and a recursive delete must never walk into a mounted host filesystem.
 */
async function removeRootfs(rootfs: string): Promise<void> {
  const mounted = async () => mountsUnder(await readFile('/proc/self/mounts', 'utf8'), rootfs);
  for (const point of await mounted()) await runTool(['umount', '--lazy', point]);
  const left = await mounted();
  if (left.length > 0) throw new Error(`refusing to delete ${rootfs}: still mounted at ${left.join(', ')}`);
  await rm(rootfs, { recursive: true, force: true });
}

export async function buildBaseImage(stateDir: string, log: (line: string) => void): Promise<void> {
  const rootfs = resolve(stateDir, 'images', 'rootfs');
  await removeRootfs(rootfs);
  const mirror = await readAptMirror();
  const started = Date.now();
  log(`building base image ${BASE_IMAGE} with debootstrap from ${mirror} (about 30 s, once) ...`);
  try {
    await runTool(debootstrapArgv(rootfs, mirror));
    log(`importing ${rootfs} as ${BASE_IMAGE} ...`);
    const { tar, docker } = importArgv(rootfs, BASE_IMAGE);
    await pipeTools(tar, docker, { env: dockerEnv() });
  } finally {
    await removeRootfs(rootfs);
  }
  log(`base image ${BASE_IMAGE} built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
