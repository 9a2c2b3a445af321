// Starting an operation on an app: authorize with the operation's own action (role, state,
// target), run the operation's own checks (`prepare`, which returns its input), then hand it to
// the gateway. Nothing is started unless every check passed.
import type { ActionName, TargetFacts } from '../access/index.js';
import { authorize, type Context } from '../context.js';
import { type RunRef, startOperation } from '../operations.js';
import type { App } from '../schemas/apps.js';
import { appScope } from './load.js';

export async function startOn(
  ctx: Context,
  app: App,
  action: ActionName,
  prepare: Record<string, unknown> | (() => Promise<Record<string, unknown>>),
  target?: TargetFacts,
): Promise<RunRef> {
  const { actor } = await authorize(ctx, action, appScope(app, target));
  const input = typeof prepare === 'function' ? await prepare() : prepare;
  return startOperation(ctx.operations, {
    operation: action,
    appId: app.id,
    projectId: app.projectId,
    environmentType: app.environmentType,
    actor: actor.name === undefined ? { userId: actor.userId } : { userId: actor.userId, name: actor.name },
    input,
  });
}
