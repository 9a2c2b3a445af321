// The words of a denial. Every message names what is needed and what to do next, because it is
// shown as is to the person who clicked (SDK errors, CLI output, disabled-button tooltips).
import type { ActionDefinition, TargetRule } from './actions.js';
import type { AppState } from './app-state.js';
import type { EnvironmentType } from './environment.js';
import { type Role, roleDisplayName } from './roles.js';

/** The label, plus what it acts on when the seed's label does not say it ("Delete" in the branch table). */
export function actionSubject(action: ActionDefinition): string {
  const noun = action.targets === 'branch' ? 'branch' : action.targets === 'url' ? 'URL' : null;
  if (noun === null || action.label.toLowerCase().includes(noun.toLowerCase())) return action.label;
  return `${action.label} (${noun})`;
}

/** "a", "a or b", "a, b or c". */
export function listOr(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

function requirement(
  action: ActionDefinition,
  requiredRole: Role,
  environmentType: EnvironmentType | undefined,
) {
  const needs = requiredRole === 'admin' ? 'Admin' : `${roleDisplayName(requiredRole)} or higher`;
  if (action.level !== 'developer+env') return needs;
  return environmentType === undefined
    ? `${needs} (the environment type is unknown, so the strictest rule of the project applies)`
    : `${needs} in a ${environmentType} environment`;
}

export function notMemberMessage(
  action: ActionDefinition,
  requiredRole: Role,
  environmentType: EnvironmentType | undefined,
): string {
  return `${actionSubject(action)} is only for members of this project (it needs ${requirement(action, requiredRole, environmentType)}); ask a project Admin to add you.`;
}

export function roleMessage(
  action: ActionDefinition,
  requiredRole: Role,
  actorRole: Role,
  environmentType: EnvironmentType | undefined,
): string {
  const next =
    requiredRole === 'admin'
      ? 'ask a project Admin to do it or to make you Admin'
      : 'ask a project Admin to raise your role';
  return `${actionSubject(action)} needs ${requirement(action, requiredRole, environmentType)} (you are ${roleDisplayName(actorRole)}); ${next}.`;
}

export function stateMessage(
  action: ActionDefinition,
  allowedStates: readonly AppState[],
  state: AppState,
): string {
  return `${actionSubject(action)} is only available when the app is in state ${listOr(allowedStates)} (it is ${state}).`;
}

export function targetMessage(action: ActionDefinition, rule: TargetRule, engine?: string): string {
  const subject = actionSubject(action);
  switch (rule) {
    case 'notPrimaryUrl':
      return `${subject} is not available for the primary URL; make another URL primary first.`;
    case 'notMainBranch':
      return `${subject} is not available for the main branch; mark another branch as main first.`;
    case 'dockerOnly':
      return `${subject} is only available for the Docker method (this app's engine is ${engine ?? 'unknown'}); use Deploy to apply configuration changes.`;
    case 'needsSslProvider':
      return `${subject} needs an SSL provider on the app's URLs; set one in the URLs tab first.`;
  }
}
