// ensureImage: the app's image for a commit, built on the app's server through the Docker API,
// or reused when an image with the same build fingerprint is already there.
import { posix } from 'node:path';
import type Docker from 'dockerode';
import { FINGERPRINT_LABEL, imageRef } from '../commands/app-container.js';
import { imageBuildOptions } from '../commands/containers.js';
import * as gitCommands from '../commands/git.js';
import * as v from '../commands/validate.js';
import type { SshConnectionPool } from '../host/connection-pool.js';
import { dockerFor } from '../host/docker.js';
import { run, runChecked } from '../host/exec.js';
import type { HostServer } from '../host/server.js';
import { mkdirp, writeFile } from '../host/sftp.js';
import { type BuildEvent, BuildLog } from './build-log.js';
import { CONTEXT_ADDONS_DIR, renderDockerfile, systemPackageList } from './dockerfile.js';
import { ImageBuildError, SourceError } from './errors.js';
import { buildFingerprint, canonicalJson } from './fingerprint.js';
import * as buildGit from './git.js';
import { hasFile, mirrorDir } from './source.js';
import { streamCommand } from './stream-exec.js';

/** On images: the commit their addons come from. */
export const COMMIT_LABEL = 'org.cloudwady.commit';

export interface EnsureImageOptions {
  appId: string;
  /** The app's directory on the server (the mirror is `<appDir>/source.git`). */
  appDir: string;
  /** A commit already in the mirror (see syncSource). */
  commitSha: string;
  /** Odoo image to build on, e.g. `odoo:17.0`. */
  baseImage: string;
  /** The app's additional system packages (Debian package names). */
  systemPackages: string[];
  /** Other settings that shape the image; part of the fingerprint (plain JSON data). */
  buildConfig: Record<string, unknown>;
  /**
   * "Force pull template": pull the base image again before building (when it came from a
   * registry) and build without Docker's layer cache. A changed base gives a new fingerprint.
   */
  forcePullTemplate?: boolean;
  /** Each build output line as it arrives. */
  onOutput?: (line: string) => void;
  /** Called as the build makes progress (each step and output line). */
  heartbeat?: () => void;
  signal?: AbortSignal;
  pool?: SshConnectionPool;
}

export interface EnsuredImage {
  /** `cloudwady/<appId>:<fingerprint prefix>`. */
  image: string;
  fingerprint: string;
  /** false when an image with this fingerprint already existed and was reused. */
  built: boolean;
}

/**
 * The app's image for `commitSha`: reused when the server already has the image of the same
 * fingerprint, else built from the commit's tree and the Dockerfile template. Idempotent: Docker
 * tags the image only when a build succeeds, so a build cut short leaves no tag and a rerun
 * builds it once.
 */
export async function ensureImage(server: HostServer, options: EnsureImageOptions): Promise<EnsuredImage> {
  const { appId, appDir, commitSha, signal, pool } = options;
  const heartbeat = () => options.heartbeat?.();
  // Bad input fails here with CommandInputError, before anything runs.
  v.appId('appId', appId);
  gitCommands.commitId('commitSha', commitSha);
  v.imageRef('baseImage', options.baseImage);
  systemPackageList(options.systemPackages);
  canonicalJson(options.buildConfig);
  const mirror = mirrorDir(appDir);
  signal?.throwIfAborted();

  const known = await run(server, buildGit.commitExists(mirror, commitSha), { signal, pool });
  if (known.exitCode !== 0) {
    throw new SourceError(
      `commit ${commitSha} is not in the app's source mirror on the server; sync the source first`,
      'COMMIT_NOT_FOUND',
    );
  }
  const docker = dockerFor(server, { pool });
  const base = await baseImage(docker, options);
  heartbeat();
  const hasRequirements = await hasFile(server, {
    appDir,
    commitSha,
    path: 'requirements.txt',
    signal,
    pool,
  });
  const dockerfile = renderDockerfile({
    baseImage: options.baseImage,
    systemPackages: options.systemPackages,
    hasRequirements,
    baseUser: base.user,
  });
  const fingerprint = buildFingerprint({
    commitSha,
    dockerfile,
    buildConfig: options.buildConfig,
    baseImageId: base.id,
  });
  const image = imageRef(appId, fingerprint);
  if ((await imageLabels(docker, image))?.[FINGERPRINT_LABEL] === fingerprint) {
    return { image, fingerprint, built: false };
  }

  const context = posix.join(v.absolutePath('appDir', appDir), 'build', fingerprint);
  try {
    await prepareContext(server, { mirror, commitSha, context, dockerfile, signal, pool });
    heartbeat();
    const buildOptions = imageBuildOptions({ appId, fingerprint });
    await build(server, docker, {
      context,
      buildOptions: {
        ...buildOptions,
        labels: { ...buildOptions.labels, [COMMIT_LABEL]: commitSha },
        ...(options.forcePullTemplate === true ? { nocache: true } : {}),
      },
      onLine: (line) => {
        options.onOutput?.(line);
        heartbeat();
      },
      signal,
      pool,
    });
  } finally {
    // Also after a failure or a cancel: the context is a copy of the whole tree.
    await run(server, ['rm', '-rf', '--', context], { pool }).catch(() => {});
  }
  if ((await imageLabels(docker, image))?.[FINGERPRINT_LABEL] !== fingerprint) {
    throw new Error(
      `the build of ${image} finished but the image with fingerprint ${fingerprint} is not there`,
    );
  }
  return { image, fingerprint, built: true };
}

interface BaseImageFacts {
  /** Image id (sha256:...), part of the fingerprint. */
  id: string;
  /** Config.User: the template switches back to it after the root steps. */
  user: string;
}

async function baseImage(docker: Docker, options: EnsureImageOptions): Promise<BaseImageFacts> {
  const ref = v.imageRef('baseImage', options.baseImage);
  let info = await inspectImage(docker, ref);
  // Only an image that came from a registry (it has a repo digest) can be pulled again.
  const pullable = info === undefined || (info.RepoDigests ?? []).length > 0;
  if (info === undefined || (options.forcePullTemplate === true && pullable)) {
    await pull(docker, ref, options);
    info = await inspectImage(docker, ref);
  }
  if (info === undefined) {
    throw new ImageBuildError(`base image ${ref} is not on the server and could not be pulled`, []);
  }
  return { id: info.Id, user: info.Config?.User ?? '' };
}

async function pull(docker: Docker, ref: string, options: EnsureImageOptions): Promise<void> {
  const log = new BuildLog((line) => {
    options.onOutput?.(line);
    options.heartbeat?.();
  });
  try {
    const stream = await docker.pull(ref, { abortSignal: options.signal });
    await follow(docker, stream, log);
  } catch (err) {
    if (options.signal?.aborted) throw options.signal.reason;
    throw new ImageBuildError(`cannot pull base image ${ref}: ${(err as Error).message}`, log.lines, {
      cause: err,
    });
  }
  if (log.error !== undefined)
    throw new ImageBuildError(`cannot pull base image ${ref}: ${log.error}`, log.lines);
}

async function inspectImage(docker: Docker, ref: string): Promise<Docker.ImageInspectInfo | undefined> {
  try {
    return await docker.getImage(ref).inspect();
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return undefined;
    throw err;
  }
}

async function imageLabels(docker: Docker, ref: string): Promise<Record<string, string> | undefined> {
  const info = await inspectImage(docker, ref);
  return info === undefined ? undefined : (info.Config?.Labels ?? {});
}

/**
 * The build context on the server: `<context>/Dockerfile` and the commit's tree in
 * `<context>/addons/` (from `git archive`, so only committed files, no .git). Remade from scratch,
 * so a context left by a crashed run is never reused half-written.
 */
async function prepareContext(
  server: HostServer,
  opts: {
    mirror: string;
    commitSha: string;
    context: string;
    dockerfile: string;
    signal?: AbortSignal;
    pool?: SshConnectionPool;
  },
): Promise<void> {
  const { mirror, commitSha, context, signal, pool } = opts;
  const archive = posix.join(context, 'source.tar');
  await runChecked(server, ['rm', '-rf', '--', context], { signal, pool });
  await mkdirp(server, posix.join(context, CONTEXT_ADDONS_DIR), { pool });
  await runChecked(
    server,
    gitCommands.archive(mirror, commitSha, { outputPath: archive, prefix: CONTEXT_ADDONS_DIR }),
    { signal, pool },
  );
  await runChecked(server, ['tar', '-x', '--no-same-owner', '-f', archive, '-C', context], { signal, pool });
  await runChecked(server, ['rm', '-f', '--', archive], { signal, pool });
  await writeFile(server, posix.join(context, 'Dockerfile'), opts.dockerfile, { pool });
}

/**
 * `docker build` through the Engine API: `tar -c` of the context runs on the server and its
 * stdout is the request body, so the context goes server -> worker -> server's Docker socket as a
 * stream. Output lines go to onLine; Docker's error becomes an ImageBuildError.
 */
async function build(
  server: HostServer,
  docker: Docker,
  opts: {
    context: string;
    buildOptions: Docker.ImageBuildOptions;
    onLine: (line: string) => void;
    signal?: AbortSignal;
    pool?: SshConnectionPool;
  },
): Promise<void> {
  const { signal, pool } = opts;
  const log = new BuildLog(opts.onLine);
  const tar = await streamCommand(server, ['tar', '-C', opts.context, '-c', '.'], { signal, pool });
  let failure: unknown;
  try {
    const response = await docker.buildImage(tar.stdout, { ...opts.buildOptions, abortSignal: signal });
    await follow(docker, response, log);
  } catch (err) {
    failure = err;
  } finally {
    tar.stop();
  }
  const tarExit = await tar.exited;
  log.flush();
  if (signal?.aborted) throw signal.reason;
  if (log.error !== undefined) {
    // A context cut short makes Docker fail too; then the context is the problem, not the app.
    if (tarExit.exitCode !== null && tarExit.exitCode !== 0) {
      throw new Error(`cannot stream the build context ${opts.context}: ${tarExit.stderr.trim()}`);
    }
    throw new ImageBuildError(log.error, log.lines);
  }
  if (failure !== undefined) throw failure;
}

function follow(docker: Docker, stream: NodeJS.ReadableStream, log: BuildLog): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (err: Error | null) => (err ? reject(err) : resolve()),
      (event: BuildEvent) => log.push(event),
    );
  });
}
