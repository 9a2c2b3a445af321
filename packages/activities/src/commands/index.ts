// Commands are data: pure builders of argv arrays, Engine API bodies and config files.
// Grouped by concern, like `dockerCommands.run(spec)` or `nginxConfig.renderSite(site)`.
export {
  APP_LABEL,
  type AppContainerSpec,
  appLabelFilter,
  appLabels,
  type BindMount,
  containerName,
  FINGERPRINT_LABEL,
  imageRef,
  ODOO_CONFIG_TARGET,
  ODOO_DATA_TARGET,
  odooMounts,
  RELEASE_LABEL,
  shortRelease,
} from './app-container.js';
export type { ImageBuildSpec } from './containers.js';
export * as containerRequests from './containers.js';
export type { LogsOptions } from './docker.js';
export * as dockerCommands from './docker.js';
export * as gitCommands from './git.js';
export type { MaintenanceOptions, NginxListen, NginxSite } from './nginx.js';
export * as nginxConfig from './nginx.js';
export type { CommandWithInput, PgConnection } from './postgres.js';
export * as postgresCommands from './postgres.js';
export * as validate from './validate.js';
export { CommandInputError } from './validate.js';
