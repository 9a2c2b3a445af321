// @cloudwady/sdk: typed clients for CloudWady's platform records and operations.
export * from './access/index.js';
export { APP_STATE_TRANSITIONS, canTransition } from './app-states.js';
export { CloudWady, CloudWadyClient } from './client.js';
export { configHash } from './config-hash.js';
export type { ActorRef } from './context.js';
export { derivePayloadKey, PayloadEncryptionCodec } from './engine/codec.js';
export { type CodecServerOptions, startCodecServer } from './engine/codec-server.js';
export { RUN_ATTRIBUTES, runStatus, runsQuery, STEP_LABELS } from './engine/run-history.js';
export {
  appQueueWorkflowId,
  cloudwadyDataConverter,
  TemporalGateway,
  type TemporalOptions,
  WORKFLOW_OPERATIONS,
} from './engine/temporal-gateway.js';
export {
  CloudWadyError,
  ConflictError,
  type ErrorCode,
  ForbiddenError,
  isCloudWadyError,
  NotAvailableError,
  NotFoundError,
  OperationFailedError,
  ValidationError,
  type ValidationIssue,
  WrongStateError,
} from './errors.js';
export { ID_PREFIXES, type IdKind, idSchema, newId } from './ids.js';
export {
  ADMIN_PASSWORD_PLACEHOLDER,
  DB_PASSWORD_PLACEHOLDER,
  dbfilterFor,
  ODOO_IMAGE_LAYOUT,
  type OdooConfContext,
  renderOdooConf,
} from './odoo-conf.js';
export {
  NO_OPERATIONS,
  type OperationGateway,
  type OperationRequest,
  RUN_STATUSES,
  type RunDetails,
  type RunEvent,
  type RunLocator,
  type RunPage,
  type RunQuery,
  type RunRef,
  type RunStatus,
  type RunStep,
  type RunSummary,
  STEP_STATUSES,
  type StepStatus,
} from './operations.js';
export {
  type ConnectOptions,
  connectOptionsSchema,
  defaultSqlitePath,
  type ResolvedOptions,
  resolveOptions,
  secretKeyPathFor,
} from './options.js';
export type { AccessResource } from './resources/access.js';
export type {
  AdminPassword,
  RenderedConfig,
  ViewConfigInput,
} from './resources/app-config.js';
export { viewConfigInputSchema } from './resources/app-config.js';
export type { AppsResource, OpenTarget } from './resources/apps.js';
export type { BackupsResource } from './resources/backups.js';
export type { BranchesResource } from './resources/branches.js';
export {
  type Deployment,
  type EngineResource,
  type TransitionInput,
  transitionInputSchema,
} from './resources/engine.js';
export type { EnvironmentsResource } from './resources/environments.js';
export type { MembersResource } from './resources/members.js';
export type { ProjectsResource } from './resources/projects.js';
export type { ReleasesResource } from './resources/releases.js';
export type { RestorationsResource } from './resources/restorations.js';
export type { RunsResource } from './resources/runs.js';
export type { ServersResource } from './resources/servers.js';
export type { UrlChange, UrlsResource } from './resources/urls.js';
export * from './schemas/access.js';
export * from './schemas/apps.js';
export * from './schemas/automation.js';
export * from './schemas/backups.js';
export * from './schemas/branches.js';
export * from './schemas/common.js';
export * from './schemas/config.js';
export * from './schemas/environments.js';
export * from './schemas/members.js';
export * from './schemas/projects.js';
export * from './schemas/releases.js';
export * from './schemas/restorations.js';
export * from './schemas/runs.js';
export * from './schemas/servers.js';
export * from './schemas/urls.js';
export { generateAdminPassword, Secret } from './secrets.js';
export { LATEST_SCHEMA_VERSION, type StoreKind, type StoreOptions } from './store/index.js';
