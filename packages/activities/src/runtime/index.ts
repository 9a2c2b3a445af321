// Running an Odoo release on a server: its odoo.conf, its container on a loopback port pair,
// the health check, the proxy routing (release or maintenance page), one-off odoo and psql runs.
// Every function is idempotent (running it twice has the effect of running it once) and talks
// to the server only through its pooled SSH connection (commands, SFTP, Docker API, loopback HTTP).
export { type ReleaseConfigFile, writeReleaseConfig } from './config.js';
export {
  type AppContainer,
  type EnsureReleaseContainerInput,
  ensureReleaseContainer,
  listAppContainers,
  type RunningRelease,
  type RuntimeOptions,
  removeAppContainers,
  restartReleaseContainer,
  stopReleaseContainer,
} from './containers.js';
export { type DatabaseExistsInput, type DatabaseServer, databaseExists, dropDatabase } from './database.js';
export { DockerLineSplitter } from './docker-io.js';
export {
  ForeignContainerError,
  PortAllocationError,
  ProxyConfigError,
  ProxyReloadError,
  ReleaseContainerNotFoundError,
  UnhealthyReleaseError,
} from './errors.js';
export { isHealthy, type WaitHealthyInput, waitHealthy } from './health.js';
export {
  type ContainerRole,
  GEVENT_PORT_LABEL,
  PORT_LABEL,
  portsFromLabels,
  type ReleasePorts,
  ROLE_LABEL,
} from './labels.js';
export {
  httpGetViaServer,
  LoopbackConnectError,
  type LoopbackRequest,
  type LoopbackResponse,
  loopbackAgentFor,
  ServerLoopbackAgent,
} from './loopback-http.js';
export {
  type OnceResult,
  type OnceRunOptions,
  type RunOdooOnceInput,
  runContainerOnce,
  runOdooOnce,
} from './once.js';
export {
  choosePortPair,
  claimedPorts,
  DEFAULT_PORT_RANGE,
  type PortRange,
  parseProcNetTcp,
  parseSsListening,
} from './ports.js';
export {
  bodySizeMb,
  type ProxyTarget,
  type RouteAppInput,
  type RouteResult,
  renderRoute,
  routeApp,
  routeCheckName,
  type UnrouteAppInput,
  type Upstream,
  unrouteApp,
} from './proxy.js';
export {
  commandOnceRequest,
  ODOO_HTTP_INTERFACE,
  odooOnceRequest,
  odooServeCommand,
  onceContainerName,
  releaseContainerRequest,
} from './requests.js';
