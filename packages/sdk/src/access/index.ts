// Access rules of CloudWady (F2, F30): roles, environment types, app states, the action catalog
// and the decision. Pure logic, no I/O.
export {
  ACCESS_LEVELS,
  ACTION_NAMES,
  ACTION_SECTIONS,
  ACTION_TARGETS,
  ACTIONS,
  type AccessLevel,
  type ActionDefinition,
  type ActionName,
  type ActionSection,
  type ActionTarget,
  getAction,
  isActionName,
  TARGET_RULES,
  type TargetRule,
} from './actions.js';
export {
  APP_STATES,
  type AppState,
  appStateSchema,
  ENGINES,
  type Engine,
  engineSchema,
  isAppState,
} from './app-state.js';
export {
  type AllowedDecision,
  type AvailabilityContext,
  type AvailableAction,
  availableActions,
  type DecideInput,
  type Decision,
  type DenialReason,
  type DeniedDecision,
  decide,
  requiredRoleFor,
  type TargetFacts,
} from './decide.js';
export {
  ENVIRONMENT_TYPES,
  type EnvironmentType,
  environmentTypeSchema,
  isEnvironmentType,
} from './environment.js';
export { actionSubject } from './messages.js';
export {
  type AccessPolicy,
  accessPolicy,
  accessPolicySchema,
  DEFAULT_ACCESS_POLICY,
  roleForEnvironment,
} from './policy.js';
export {
  atLeast,
  isRole,
  maxRole,
  ROLE_DISPLAY_NAMES,
  ROLES,
  type Role,
  roleDisplayName,
  roleRank,
  roleSchema,
} from './roles.js';
