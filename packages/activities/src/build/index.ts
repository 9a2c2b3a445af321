// Building an app's image: its source mirrored on the server, the Dockerfile template, the build
// fingerprint, and the build itself through the server's Docker API.
export { type BuildEvent, BuildLog } from './build-log.js';
export {
  ADDONS_TARGET,
  type DockerfileSpec,
  renderDockerfile,
  systemPackageList,
  TEMPLATE_LABEL,
  TEMPLATE_VERSION,
} from './dockerfile.js';
export {
  BUILD_ERROR_LINES,
  BuildUserError,
  ImageBuildError,
  SourceError,
  type SourceErrorCode,
} from './errors.js';
export { buildFingerprint, canonicalJson, type FingerprintParts } from './fingerprint.js';
export * as buildGitCommands from './git.js';
export { COMMIT_LABEL, type EnsuredImage, type EnsureImageOptions, ensureImage } from './image.js';
export {
  type ChangedModulesOptions,
  type CommitOptions,
  changedModules,
  type HasFileOptions,
  hasFile,
  listModules,
  mirrorDir,
  modulesOf,
  type SyncSourceOptions,
  syncSource,
} from './source.js';
export { type CommandExit, type StreamedCommand, streamCommand } from './stream-exec.js';
