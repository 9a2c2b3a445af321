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

/** One entry of an app's workflow history (F26). */
export interface RunSummary extends RunRef {
  status: RunStatus;
  actor: { userId: string; name?: string };
  triggeredAt: string;
  completedAt: string | null;
}

export interface RunQuery {
  appId: string;
  status?: RunStatus[];
  from?: string;
  to?: string;
  limit: number;
}

export interface OperationGateway {
  start(request: OperationRequest): Promise<RunRef>;
  /** Workflow history of an app; optional until the engine reads Temporal visibility. */
  listRuns?(query: RunQuery): Promise<RunSummary[]>;
  getRun?(query: { appId: string; workflowId: string; runId?: string }): Promise<RunSummary | null>;
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
