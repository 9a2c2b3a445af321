// client.runs (F26-F28): an app's workflow history, one run's steps and logs, live progress,
// its result and cancellation. All of it is read from Temporal by the operations gateway; the
// SDK only checks access (viewRuns to read; the run's own operation to cancel it).
import type { ActionName } from '../access/index.js';
import { authorize, type Context, guardAll, parse } from '../context.js';
import { NotFoundError } from '../errors.js';
import {
  type OperationGateway,
  operationsNotAvailable,
  type RunDetails,
  type RunEvent,
  type RunLocator,
  type RunPage,
} from '../operations.js';
import {
  type GetRunInput,
  getRunInputSchema,
  type ListRunsInput,
  listRunsInputSchema,
} from '../schemas/runs.js';
import { appScope, loadApp } from './load.js';

type RunMethod = 'listRuns' | 'getRun' | 'watchRun' | 'runResult' | 'cancelRun';

function gatewayMethod<M extends RunMethod>(ctx: Context, method: M): NonNullable<OperationGateway[M]> {
  const fn = ctx.operations[method];
  if (!fn) throw operationsNotAvailable('Workflow history');
  return fn.bind(ctx.operations) as NonNullable<OperationGateway[M]>;
}

export function runsResource(ctx: Context) {
  /** Validates the locator, checks viewRuns on its app; the run must belong to that app. */
  async function locate(input: GetRunInput, action: ActionName = 'viewRuns') {
    const run: RunLocator = parse(getRunInputSchema, input, 'run');
    const app = await loadApp(ctx.db, run.appId);
    // Only the role counts: a run is canceled exactly while the app is mid-operation.
    const { appState: _, ...roleOnly } = appScope(app);
    await authorize(ctx, action, roleOnly);
    return run;
  }

  const resource = guardAll({
    /** Workflow history of an app, newest first, filtered by status, operation and time range. */
    async list(input: ListRunsInput): Promise<RunPage> {
      const query = parse(listRunsInputSchema, input, 'run filter');
      const app = await loadApp(ctx.db, query.appId);
      await authorize(ctx, 'viewRuns', appScope(app));
      return gatewayMethod(ctx, 'listRuns')(query);
    },

    /** One run with its steps (per server: the seed's Runners) and its full log; null if unknown. */
    async get(input: GetRunInput): Promise<RunDetails | null> {
      const run = await locate(input);
      return gatewayMethod(ctx, 'getRun')(run);
    },

    /** Waits for the run to end: its result, or its failure as an OperationFailedError. */
    async result(input: GetRunInput): Promise<unknown> {
      const run = await locate(input);
      return gatewayMethod(ctx, 'runResult')(run);
    },

    /**
     * Cancels a pending or executing run. It needs the right to Deploy the app (the strictest
     * of the operations a run can be), so whoever may cancel may also run it again.
     */
    async cancel(input: GetRunInput): Promise<void> {
      const run = await locate(input, 'deploy');
      const details = await gatewayMethod(ctx, 'getRun')(run);
      if (!details) throw new NotFoundError('run', run.workflowId);
      await gatewayMethod(ctx, 'cancelRun')(run);
    },
  });

  return {
    ...resource,
    /**
     * Progress events while the run goes on (status, steps, log lines), ending with `end`:
     * `for await (const event of client.runs.watch(ref))`, e.g. to forward to a WebSocket.
     */
    async *watch(input: GetRunInput, options: { intervalMs?: number } = {}): AsyncGenerator<RunEvent> {
      const run = await resource.get(input).then(() => parse(getRunInputSchema, input, 'run'));
      yield* gatewayMethod(ctx, 'watchRun')(run, options);
    },
  };
}

export type RunsResource = ReturnType<typeof runsResource>;
