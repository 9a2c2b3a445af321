// What every resource method works with: the store, the secret box, the access policy default,
// the operations gateway and the actor. Plus the three steps every method takes, in order:
// parse the input, load the records (not found), authorize (forbidden / wrong state).
import type { z } from 'zod';
import {
  type AccessPolicy,
  type ActionName,
  type AppState,
  DEFAULT_ACCESS_POLICY,
  type Decision,
  type DeniedDecision,
  decide,
  type EnvironmentType,
  type Role,
  type TargetFacts,
} from './access/index.js';
import {
  CloudWadyError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  OperationFailedError,
  ValidationError,
  type ValidationIssue,
  WrongStateError,
} from './errors.js';
import type { OperationGateway } from './operations.js';
import { findAccess } from './repositories/projects.js';
import type { SecretBox } from './secrets.js';
import type { Driver, Queryable } from './store/driver.js';

export interface ActorRef {
  userId: string;
  name?: string;
}

export interface Shared {
  db: Driver;
  box: SecretBox;
  defaultPolicy: AccessPolicy;
  operations: OperationGateway;
}

export interface Context extends Shared {
  /** null on the root client: every call needs `client.as(actor)` first. */
  actor: ActorRef | null;
}

/** Validates one argument; the error names the argument, the path and what is expected. */
export function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues as unknown as ValidationIssue[];
  const first = issues[0];
  const where = first && first.path.length > 0 ? ` (${first.path.map(String).join('.')})` : '';
  throw new ValidationError(
    `Invalid ${what}${where}: ${first?.message ?? 'rejected'}. Fix it and call again.`,
    issues,
  );
}

/** The record, or a NotFoundError naming what was looked for. */
export function found<T>(record: T | undefined, resource: string, id: string): T {
  if (record === undefined) throw new NotFoundError(resource, id);
  return record;
}

const NO_ACTOR =
  'This client acts for nobody: call client.as({ userId }) and make the call on the client it returns.';

export function requireActor(ctx: Context): ActorRef {
  if (ctx.actor === null) throw new ForbiddenError(NO_ACTOR, null);
  return ctx.actor;
}

/** What an action acts on, as far as access is concerned. */
export interface AccessScope {
  projectId: string;
  environmentType?: EnvironmentType;
  appState?: AppState;
  target?: TargetFacts;
}

export interface Access {
  actor: ActorRef | null;
  role: Role | null;
  policy: AccessPolicy;
  decision: Decision;
}

/** The decision for the client's actor, without throwing (access.check, availableActions). */
export async function decideFor(ctx: Context, action: ActionName, scope: AccessScope, q: Queryable = ctx.db) {
  // Without an actor nobody matches: the role is null and the decision says "not a member".
  const access = found(
    await findAccess(q, scope.projectId, ctx.actor?.userId ?? ''),
    'project',
    scope.projectId,
  );
  const policy = access.accessPolicy ?? ctx.defaultPolicy ?? DEFAULT_ACCESS_POLICY;
  const decision = decide({ action, role: access.role, ...scope, policy });
  return { actor: ctx.actor, role: access.role, policy, decision } satisfies Access;
}

/** The error a denied decision becomes. */
export function deniedError(decision: DeniedDecision, appState?: AppState): CloudWadyError {
  switch (decision.reason) {
    case 'state':
      return new WrongStateError(decision.message, {
        state: appState ?? 'unknown',
        allowedStates: decision.allowedStates ?? [],
        decision,
      });
    case 'target':
      return new ConflictError(decision.message, { decision });
    default:
      return new ForbiddenError(decision.message, decision);
  }
}

/**
 * THE access check: every SDK method calls it (reads with viewApp / viewProject and the like,
 * writes and operations with their own action) before it writes or starts anything.
 */
export async function authorize(
  ctx: Context,
  action: ActionName,
  scope: AccessScope,
  q: Queryable = ctx.db,
): Promise<Access & { actor: ActorRef; role: Role }> {
  const actor = requireActor(ctx);
  const access = await decideFor(ctx, action, scope, q);
  if (!access.decision.allowed) throw deniedError(access.decision, scope.appState);
  return { ...access, actor, role: access.role as Role };
}

/** Errors thrown from inside a method that are not ours become an OperationFailedError. */
export function asCloudWadyError(error: unknown): CloudWadyError {
  if (error instanceof CloudWadyError) return error;
  return new OperationFailedError(
    `Unexpected internal error: ${(error as Error)?.message ?? String(error)}. Nothing was changed if the call wrote records (writes run in transactions); please report it.`,
    {},
    { cause: error },
  );
}

/** Wraps every method of a resource so that only CloudWadyErrors leave it. */
export function guardAll<T extends object>(resource: T): T {
  const guarded: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(resource)) {
    guarded[name] =
      typeof method === 'function'
        ? async (...args: unknown[]) => {
            try {
              return await method(...args);
            } catch (error) {
              throw asCloudWadyError(error);
            }
          }
        : method;
  }
  return Object.freeze(guarded) as T;
}
