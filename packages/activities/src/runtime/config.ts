// A release's odoo.conf on the server. It holds the database and admin passwords, so it is
// written atomically with mode 0600 from the first byte (never readable by others, never half
// written when Odoo starts) and is never echoed in logs or errors.
import { posix } from 'node:path';
import * as v from '../commands/validate.js';
import { sshPool } from '../host/connection-pool.js';
import { runChecked } from '../host/exec.js';
import type { HostServer } from '../host/server.js';
import { mkdirp, writeFile } from '../host/sftp.js';
import type { RuntimeOptions } from './containers.js';

export interface ReleaseConfigFile {
  /** Absolute path on the server, e.g. /var/lib/cloudwady/apps/<app>/releases/<release>/odoo.conf. */
  path: string;
  content: string;
  /**
   * Owner of the file, for images whose Odoo does not run as root: the official odoo images
   * run as uid/gid 101, which cannot read a 0600 file owned by root.
   */
  owner?: { uid: number; gid: number };
}

/** mkdir -p the directory, then write the file atomically with mode 0600 (and its owner). */
export async function writeReleaseConfig(
  server: HostServer,
  file: ReleaseConfigFile,
  { pool = sshPool }: RuntimeOptions = {},
): Promise<void> {
  const path = v.absolutePath('path', file.path);
  const content = v.noNul('content', file.content, { secret: true });
  await mkdirp(server, posix.dirname(path), { pool });
  await writeFile(server, path, content, { pool, mode: 0o600 });
  if (file.owner !== undefined) {
    const uid = v.integer('owner.uid', file.owner.uid, 0, 2 ** 31 - 1);
    const gid = v.integer('owner.gid', file.owner.gid, 0, 2 ** 31 - 1);
    await runChecked(server, ['chown', '--', `${uid}:${gid}`, path], { pool });
  }
}
