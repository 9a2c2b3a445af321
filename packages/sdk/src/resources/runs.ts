// client.runs (F26): an app's workflow history. It is read from Temporal by the operations
// engine's gateway; without one (or before it offers history) the calls say so.
import { authorize, type Context, guardAll, parse } from '../context.js';
import { operationsNotAvailable, type RunSummary } from '../operations.js';
import {
  type GetRunInput,
  getRunInputSchema,
  type ListRunsInput,
  listRunsInputSchema,
} from '../schemas/runs.js';
import { appScope, loadApp } from './load.js';

export function runsResource(ctx: Context) {
  return guardAll({
    /** Workflow history of an app, newest first, filtered by status and time range. */
    async list(input: ListRunsInput): Promise<RunSummary[]> {
      const query = parse(listRunsInputSchema, input, 'run filter');
      const app = await loadApp(ctx.db, query.appId);
      await authorize(ctx, 'viewRuns', appScope(app));
      if (!ctx.operations.listRuns) throw operationsNotAvailable('Workflow history');
      return ctx.operations.listRuns(query);
    },

    /** One run of an app, or null when there is none with that id. */
    async get(input: GetRunInput): Promise<RunSummary | null> {
      const query = parse(getRunInputSchema, input, 'run');
      const app = await loadApp(ctx.db, query.appId);
      await authorize(ctx, 'viewRuns', appScope(app));
      if (!ctx.operations.getRun) throw operationsNotAvailable('Workflow history');
      return ctx.operations.getRun(query);
    },
  });
}

export type RunsResource = ReturnType<typeof runsResource>;
