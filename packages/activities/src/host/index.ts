// The host execution layer: one pooled SSH connection per server carries commands (argv,
// quoted once), SFTP and the Docker Engine API.
export {
  type ConnectionPoolOptions,
  type ConnectionStats,
  closeAll,
  SshConnectionPool,
  sshPool,
} from './connection-pool.js';
export { dockerFor, SshDockerAgent } from './docker.js';
export {
  type CommandFailure,
  HostCommandError,
  HostConnectionError,
  HostError,
  HostKeyMismatchError,
  redactArgv,
} from './errors.js';
export { type OutputStream, type RunOptions, type RunResult, run, runChecked } from './exec.js';
export { DEFAULT_DOCKER_SOCKET, type HostServer, serverKey, serverLabel } from './server.js';
export {
  downloadFile,
  exists,
  HostFileError,
  mkdirp,
  readFile,
  removeFile,
  type SftpOptions,
  uploadFile,
  type WriteOptions,
  withSftp,
  writeFile,
} from './sftp.js';
export { quoteArg, shellQuote } from './shell-quote.js';
