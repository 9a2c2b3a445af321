// The door to the operations engine. The SDK validates, loads, checks access and state, then
// hands an operation to an `OperationGateway` (the worker package provides one that starts a
// Temporal workflow). Without one, operations fail with a NotAvailableError, after every check.
import { type ActionName, type EnvironmentType, getAction } from './access/index.js';
import { CloudWadyError, NotAvailableError, OperationFailedError } from './errors.js';

export interface OperationRequest {
  /** The seed's verb, e.g. "deploy", "restart", "renewUrlSsl". */
  operation: ActionName;
  appId: string;
  projectId: string;
  environmentType: EnvironmentType;
  actor: { userId: string; name?: string };
  /** Validated operation input (ids of the URL, branch, backup or release it acts on). */
  input: Record<string, unknown>;
}

/** A started operation: where to follow it (Temporal workflow and run ids). */
export interface RunRef {
  operation: ActionName;
  appId: string;
  workflowId: string;
  runId: string;
}

export const RUN_STATUSES = ['pending', 'executing', 'completed', 'failed', 'canceled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** One entry of an app's workflow history (F26), read from Temporal. */
export interface RunSummary extends RunRef {
  status: RunStatus;
  actor: { userId: string; name?: string };
  triggeredAt: string;
  completedAt: string | null;
  /** From trigger to completion (or to now while it runs). */
  durationMs: number;
  /** The readable line the Temporal UI shows too. */
  summary: string;
}

export const STEP_STATUSES = [
  'scheduled',
  'running',
  'completed',
  'failed',
  'canceled',
  'timed_out',
] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

/** One step of a run (an activity) on the app's server: the seed's Runners (F28). */
export interface RunStep {
  /** The activity, e.g. "buildImage". */
  name: string;
  label: string;
  /** The server the step acted on. */
  serverId: string | null;
  status: StepStatus;
  attempts: number;
  startedAt: string | null;
  completedAt: string | null;
  durationMs: number | null;
  /** Its output, bounded: long logs keep their head and tail around a marker. */
  log: string[];
  failure?: string;
}

export interface RunDetails extends RunSummary {
  steps: RunStep[];
  /** The whole run's log: each step's output under its name, then the failure if any. */
  log: string[];
  failure?: string;
  result?: unknown;
}

/** What `runs.watch` yields while a run goes on; it ends with an `end` event. */
export type RunEvent =
  | { type: 'status'; status: RunStatus; at: string }
  | { type: 'step'; step: RunStep; at: string }
  | { type: 'log'; step: string; line: string; at: string }
  | { type: 'end'; status: RunStatus; result?: unknown; failure?: string; at: string };

export interface RunQuery {
  appId: string;
  status?: RunStatus[];
  operation?: string[];
  from?: string;
  to?: string;
  pageSize: number;
  pageToken?: string;
}

export interface RunPage {
  runs: RunSummary[];
  /** Pass it back as `pageToken` for the next (older) page; null on the last page. */
  nextPageToken: string | null;
}

export interface RunLocator {
  appId: string;
  workflowId: string;
}

export interface OperationGateway {
  start(request: OperationRequest): Promise<RunRef>;
  /** Workflow history of an app; optional until the engine reads Temporal visibility. */
  listRuns?(query: RunQuery): Promise<RunPage>;
  getRun?(run: RunLocator): Promise<RunDetails | null>;
  watchRun?(run: RunLocator, options?: { intervalMs?: number }): AsyncIterable<RunEvent>;
  runResult?(run: RunLocator): Promise<unknown>;
  cancelRun?(run: RunLocator): Promise<void>;
}

export function operationsNotAvailable(what: string): NotAvailableError {
  return new NotAvailableError(
    `${what} needs the operations engine: pass \`operations\` to CloudWady.connect (an OperationGateway, such as the one @cloudwady/worker provides) and run a worker.`,
    { needs: 'operations' },
  );
}

/** The gateway of a client connected without `operations`. */
export const NO_OPERATIONS: OperationGateway = {
  async start(request) {
    throw operationsNotAvailable(getAction(request.operation).label);
  },
};

/** Starts an operation; a gateway's own failure becomes an OperationFailedError that says which. */
export async function startOperation(gateway: OperationGateway, request: OperationRequest): Promise<RunRef> {
  try {
    return await gateway.start(request);
  } catch (error) {
    if (error instanceof CloudWadyError) throw error;
    throw new OperationFailedError(
      `The operations engine could not start ${request.operation} for app ${request.appId}: ${(error as Error)?.message ?? String(error)}. Check that the engine (Temporal and a worker) is running, then try again.`,
      { operation: request.operation, appId: request.appId },
      { cause: error },
    );
  }
}
