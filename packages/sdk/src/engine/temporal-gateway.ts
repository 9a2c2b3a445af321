// The operations engine as the SDK sees it: each operation starts as its own Temporal workflow
// (named with the seed's verb), tagged with search attributes so history and the Temporal UI can
// filter by app, project, operation, actor and environment; then it joins its app's queue.
import { Client, Connection } from '@temporalio/client';
import { type ActionName, getAction } from '../access/index.js';
import type { OperationGateway, OperationRequest, RunRef } from '../operations.js';
import { operationsNotAvailable } from '../operations.js';

/** The workflows @cloudwady/workflows implements today (others come with their issues). */
export const WORKFLOW_OPERATIONS = [
  'deploy',
  'update',
  'restart',
  'updateConfig',
  'enableMaintenance',
  'disableMaintenance',
  'rollback',
  'deleteInstance',
  'destroy',
] as const satisfies readonly ActionName[];

export interface TemporalOptions {
  address: string;
  namespace?: string;
  taskQueue?: string;
}

// Names shared with @cloudwady/workflows (kept as strings: the SDK never imports workflow code).
const APP_QUEUE_WORKFLOW = 'appQueue';
const ENQUEUE_SIGNAL = 'enqueue';
export const appQueueWorkflowId = (appId: string) => `app-queue-${appId}`;

const suffix = () => Math.random().toString(36).slice(2, 10);

export class TemporalGateway implements OperationGateway {
  readonly taskQueue: string;

  private constructor(
    readonly client: Client,
    taskQueue: string,
  ) {
    this.taskQueue = taskQueue;
  }

  static async connect(options: TemporalOptions): Promise<TemporalGateway> {
    const connection = await Connection.connect({ address: options.address });
    const client = new Client({ connection, namespace: options.namespace ?? 'default' });
    return new TemporalGateway(client, options.taskQueue ?? 'cloudwady');
  }

  async start(request: OperationRequest): Promise<RunRef> {
    if (!(WORKFLOW_OPERATIONS as readonly string[]).includes(request.operation)) {
      throw operationsNotAvailable(`${getAction(request.operation).label} (not available yet)`);
    }
    const workflowId = `${request.operation}-${request.appId}-${Date.now().toString(36)}${suffix()}`;
    const handle = await this.client.workflow.start(request.operation, {
      taskQueue: this.taskQueue,
      workflowId,
      args: [{ appId: request.appId, actor: request.actor, ...request.input }],
      searchAttributes: {
        AppId: [request.appId],
        ProjectId: [request.projectId],
        Operation: [request.operation],
        Actor: [request.actor.userId],
        Environment: [request.environmentType],
        RunPhase: ['Pending'],
      },
      staticSummary: `${getAction(request.operation).label} of ${request.appId} by ${request.actor.name ?? request.actor.userId}`,
    });
    // Joining the queue after the start, in call order, is what makes runs of one app go in
    // submission order; the queue workflow is started by the first operation that needs it.
    await this.client.workflow.signalWithStart(APP_QUEUE_WORKFLOW, {
      taskQueue: this.taskQueue,
      workflowId: appQueueWorkflowId(request.appId),
      args: [[]],
      signal: ENQUEUE_SIGNAL,
      signalArgs: [workflowId],
    });
    return {
      operation: request.operation,
      appId: request.appId,
      workflowId,
      runId: handle.firstExecutionRunId,
    };
  }

  async close(): Promise<void> {
    await this.client.connection.close();
  }
}
