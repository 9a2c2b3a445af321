// The access decision (F2, F30): may this actor run this action on this target now, and if not,
// why and what to do. Pure: the caller loads role, environment type, state and target facts.
import { ACTIONS, type ActionDefinition, type ActionName, type ActionSection, getAction } from './actions.js';
import type { AppState, Engine } from './app-state.js';
import type { EnvironmentType } from './environment.js';
import { notMemberMessage, roleMessage, stateMessage, targetMessage } from './messages.js';
import { type AccessPolicy, DEFAULT_ACCESS_POLICY, roleForEnvironment } from './policy.js';
import { atLeast, type Role } from './roles.js';

export type DenialReason = 'not_member' | 'role' | 'state' | 'target';

export interface AllowedDecision {
  allowed: true;
  action: ActionName;
  requiredRole: Role;
}

export interface DeniedDecision {
  allowed: false;
  action: ActionName;
  reason: DenialReason;
  requiredRole: Role;
  /** null = not a member of the project. */
  actorRole: Role | null;
  /** What is needed and what to do next; safe to show to the actor. */
  message: string;
  /** Set when reason is 'state': the states in which the action is offered. */
  allowedStates?: AppState[];
}

export type Decision = AllowedDecision | DeniedDecision;

/** Facts about the branch or URL (or the app, for engine and SSL provider) the action acts on. */
export interface TargetFacts {
  isPrimaryUrl?: boolean;
  isMainBranch?: boolean;
  engine?: Engine;
  /** Whether an SSL provider is set on the app's URLs (Deploy SSL Certificates). */
  hasSslProvider?: boolean;
}

export interface DecideInput {
  action: ActionName;
  /** The actor's role in the app's project; null = not a member. */
  role: Role | null;
  /** The app's (or, for project actions such as createApp, the environment's) type. */
  environmentType?: EnvironmentType;
  /** Without it only role and target are checked (the workflow re-checks state when it runs). */
  appState?: AppState;
  target?: TargetFacts;
  policy?: AccessPolicy;
}

/** The lowest role that may run the action, given the environment type and the project's policy. */
export function requiredRoleFor(
  action: ActionName,
  environmentType?: EnvironmentType,
  policy: AccessPolicy = DEFAULT_ACCESS_POLICY,
): Role {
  const { level } = getAction(action);
  switch (level) {
    case 'all':
      return 'viewer';
    case 'developer+':
      return 'developer';
    case 'developer+env':
      return roleForEnvironment(policy, environmentType);
    case 'admin':
      return 'admin';
  }
}

/** The target rule the facts break, if any; unknown facts break nothing (state-like preconditions). */
function brokenTargetRule(action: ActionDefinition, target: TargetFacts): ActionDefinition['targetRule'] {
  switch (action.targetRule) {
    case 'notPrimaryUrl':
      return target.isPrimaryUrl === true ? action.targetRule : undefined;
    case 'notMainBranch':
      return target.isMainBranch === true ? action.targetRule : undefined;
    case 'dockerOnly':
      // Engine values come from stored records; compare as strings so a non-Docker engine is caught.
      return target.engine !== undefined && (target.engine as string) !== 'docker'
        ? action.targetRule
        : undefined;
    case 'needsSslProvider':
      return target.hasSslProvider === false ? action.targetRule : undefined;
    case undefined:
      return undefined;
  }
}

/**
 * Decide one action. Checks in order: membership, role, app state, target; the first failure is
 * the reason. Membership and role fail closed; state and target are checked only when known.
 */
export function decide(input: DecideInput): Decision {
  const action = getAction(input.action);
  const name = input.action;
  const requiredRole = requiredRoleFor(name, input.environmentType, input.policy);
  const denied = (
    reason: DenialReason,
    message: string,
    extra: Pick<DeniedDecision, 'allowedStates'> = {},
  ): DeniedDecision => ({
    allowed: false,
    action: name,
    reason,
    requiredRole,
    actorRole: input.role,
    message,
    ...extra,
  });

  if (input.role === null) {
    return denied('not_member', notMemberMessage(action, requiredRole, input.environmentType));
  }
  if (!atLeast(input.role, requiredRole)) {
    return denied('role', roleMessage(action, requiredRole, input.role, input.environmentType));
  }
  if (action.states && input.appState !== undefined && !action.states.includes(input.appState)) {
    const allowedStates = [...action.states];
    return denied('state', stateMessage(action, allowedStates, input.appState), { allowedStates });
  }
  const broken = brokenTargetRule(action, input.target ?? {});
  if (broken) return denied('target', targetMessage(action, broken, input.target?.engine));
  return { allowed: true, action: name, requiredRole };
}

export interface AvailabilityContext {
  role: Role | null;
  environmentType: EnvironmentType;
  appState: AppState;
  policy?: AccessPolicy;
  /** App facts such as engine and SSL provider. */
  target?: TargetFacts;
}

export interface AvailableAction {
  name: ActionName;
  label: string;
  section: ActionSection;
  decision: Decision;
}

/** Every app-targeted action, in the seed's order, with its decision (for `apps.availableActions`). */
export function availableActions(ctx: AvailabilityContext): AvailableAction[] {
  return ACTIONS.filter((action) => action.targets === 'app').map((action) => ({
    name: action.name,
    label: action.label,
    section: action.section,
    decision: decide({ ...ctx, action: action.name }),
  }));
}
