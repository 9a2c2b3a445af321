// The operations engine as the SDK sees it: each operation starts as its own Temporal workflow
// (named with the seed's verb), tagged with search attributes so history and the Temporal UI can
// filter by app, project, operation, actor and environment; then it joins its app's queue. Run
// history, steps, logs, live progress, results and cancellation are all read back from Temporal.
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import type { DataConverter, LoadedDataConverter, Payload } from '@temporalio/common';
import { decodeSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes.js';
import {
  decodeArrayFromPayloads,
  decodeMapFromPayloads,
  loadDataConverter,
} from '@temporalio/common/lib/internal-non-workflow/index.js';
import { optionalTsToMs } from '@temporalio/common/lib/time.js';
import type { temporal } from '@temporalio/proto';
import { type ActionName, getAction } from '../access/index.js';
import { NotFoundError, OperationFailedError, WrongStateError } from '../errors.js';
import {
  type OperationGateway,
  type OperationRequest,
  operationsNotAvailable,
  type RunDetails,
  type RunEvent,
  type RunLocator,
  type RunPage,
  type RunQuery,
  type RunRef,
  type RunSummary,
} from '../operations.js';
import { PayloadEncryptionCodec } from './codec.js';
import {
  isFinished,
  type PendingStep,
  readSteps,
  runLog,
  runStatus,
  runsQuery,
  type StepEvent,
} from './run-history.js';

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
  /** 32-byte key of the payload codec; the worker must use the same one. */
  payloadKey?: Buffer;
}

// Names shared with @cloudwady/workflows (kept as strings: the SDK never imports workflow code).
const APP_QUEUE_WORKFLOW = 'appQueue';
const ENQUEUE_SIGNAL = 'enqueue';
export const appQueueWorkflowId = (appId: string) => `app-queue-${appId}`;

/** The data converter of CloudWady's payloads: encrypted when a payload key is given. */
export function cloudwadyDataConverter(payloadKey?: Buffer): DataConverter {
  return payloadKey ? { payloadCodecs: [new PayloadEncryptionCodec(payloadKey)] } : {};
}

const suffix = () => Math.random().toString(36).slice(2, 10);
const first = (value: unknown) => (Array.isArray(value) ? value[0] : value) as string | undefined;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

export class TemporalGateway implements OperationGateway {
  private constructor(
    readonly client: Client,
    readonly taskQueue: string,
    private readonly converter: LoadedDataConverter,
  ) {}

  static async connect(options: TemporalOptions): Promise<TemporalGateway> {
    const connection = await Connection.connect({ address: options.address });
    const dataConverter = cloudwadyDataConverter(options.payloadKey);
    const client = new Client({ connection, namespace: options.namespace ?? 'default', dataConverter });
    return new TemporalGateway(client, options.taskQueue ?? 'cloudwady', loadDataConverter(dataConverter));
  }

  async start(request: OperationRequest): Promise<RunRef> {
    if (request.operation === 'retry') return this.retry(request);
    if (!(WORKFLOW_OPERATIONS as readonly string[]).includes(request.operation)) {
      throw operationsNotAvailable(`${getAction(request.operation).label} (not available yet)`);
    }
    return this.startWorkflow(request.operation, request, [
      { appId: request.appId, actor: request.actor, ...request.input },
    ]);
  }

  private async startWorkflow(
    operation: string,
    request: OperationRequest,
    args: unknown[],
  ): Promise<RunRef> {
    const workflowId = `${operation}-${request.appId}-${Date.now().toString(36)}${suffix()}`;
    const who = request.actor.name ?? request.actor.userId;
    const handle = await this.client.workflow.start(operation, {
      taskQueue: this.taskQueue,
      workflowId,
      args,
      searchAttributes: {
        AppId: [request.appId],
        ProjectId: [request.projectId],
        Operation: [operation],
        Actor: [request.actor.userId],
        Environment: [request.environmentType],
        RunPhase: ['Pending'],
      },
      memo: { actor: request.actor },
      staticSummary: `${getAction(operation as ActionName).label} of ${request.appId} by ${who}`,
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
      operation: operation as ActionName,
      appId: request.appId,
      workflowId,
      runId: handle.firstExecutionRunId,
    };
  }

  /** Retry (F6): the app's last failed or canceled run again, with its original input. */
  private async retry(request: OperationRequest): Promise<RunRef> {
    const { runs } = await this.listRuns({
      appId: request.appId,
      status: ['failed', 'canceled'],
      pageSize: 1,
    });
    const last = runs[0];
    if (!last) {
      throw new WrongStateError(`App ${request.appId} has no failed or canceled run to retry.`, {
        state: 'none',
        allowedStates: [],
      });
    }
    const history = await this.client.workflow.getHandle(last.workflowId).fetchHistory();
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    const [input] = await decodeArrayFromPayloads(this.converter, started?.input?.payloads);
    return this.startWorkflow(last.operation, request, [{ ...(input as object), actor: request.actor }]);
  }

  async listRuns(query: RunQuery): Promise<RunPage> {
    const response = await this.client.workflowService.listWorkflowExecutions({
      namespace: this.client.options.namespace,
      query: runsQuery(query),
      pageSize: query.pageSize,
      nextPageToken: query.pageToken ? Buffer.from(query.pageToken, 'base64') : undefined,
    });
    const runs = await Promise.all((response.executions ?? []).map((info) => this.summaryOf(info)));
    runs.sort((a, b) => b.triggeredAt.localeCompare(a.triggeredAt));
    const token = response.nextPageToken?.length
      ? Buffer.from(response.nextPageToken).toString('base64')
      : null;
    return { runs, nextPageToken: token };
  }

  private async summaryOf(info: temporal.api.workflow.v1.IWorkflowExecutionInfo): Promise<RunSummary> {
    const attributes = decodeSearchAttributes(info.searchAttributes?.indexedFields);
    const memo =
      (await decodeMapFromPayloads(this.converter, info.memo?.fields as Record<string, Payload>)) ?? {};
    const status = runStatus(statusName(info.status), first(attributes.RunPhase));
    const startMs = optionalTsToMs(info.startTime) ?? Date.now();
    const closeMs = optionalTsToMs(info.closeTime) ?? null;
    const operation = (first(attributes.Operation) ?? info.type?.name ?? 'unknown') as ActionName;
    const actor = (memo.actor as RunSummary['actor'] | undefined) ?? {
      userId: first(attributes.Actor) ?? 'unknown',
    };
    return {
      operation,
      appId: first(attributes.AppId) ?? '',
      workflowId: info.execution?.workflowId ?? '',
      runId: info.execution?.runId ?? '',
      status,
      actor,
      triggeredAt: new Date(startMs).toISOString(),
      completedAt: closeMs ? new Date(closeMs).toISOString() : null,
      durationMs: (closeMs ?? Date.now()) - startMs,
      summary: `${getAction(operation).label} by ${actor.name ?? actor.userId}`,
    };
  }

  async getRun(run: RunLocator): Promise<RunDetails | null> {
    const handle = this.client.workflow.getHandle(run.workflowId);
    let description: Awaited<ReturnType<typeof handle.describe>>;
    try {
      description = await handle.describe();
    } catch (error) {
      if ((error as Error).name === 'WorkflowNotFoundError') return null;
      throw error;
    }
    const summary = await this.summaryOf(description.raw.workflowExecutionInfo ?? {});
    if (summary.appId !== run.appId) return null;
    const history = await handle.fetchHistory();
    const events = history.events ?? [];
    const stepEvents = await Promise.all(events.map((event) => this.stepEvent(event)));
    const pending: PendingStep[] = (description.raw.pendingActivities ?? []).map((activity) => ({
      activity: activity.activityType?.name ?? '',
      attempt: activity.attempt ?? 1,
      startedAt: optionalTsToMs(activity.lastStartedTime) ?? null,
      ...(activity.lastFailure?.message ? { lastFailure: activity.lastFailure.message } : {}),
    }));
    const steps = readSteps(
      stepEvents.filter((e): e is StepEvent => e !== null),
      pending,
      null,
      Date.now(),
    );
    const end = events.at(-1);
    const failure = failureMessage(end?.workflowExecutionFailedEventAttributes?.failure);
    const completed = end?.workflowExecutionCompletedEventAttributes?.result?.payloads;
    const [result] = completed ? await decodeArrayFromPayloads(this.converter, completed) : [];
    return {
      ...summary,
      steps,
      log: runLog(steps, failure),
      ...(failure ? { failure } : {}),
      ...(result === undefined ? {} : { result }),
    };
  }

  private async stepEvent(event: HistoryEvent): Promise<StepEvent | null> {
    const at = optionalTsToMs(event.eventTime) ?? 0;
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled) {
      return {
        kind: 'scheduled',
        stepId: String(event.eventId),
        at,
        activity: scheduled.activityType?.name ?? '',
      };
    }
    const started = event.activityTaskStartedEventAttributes;
    if (started)
      return { kind: 'started', stepId: String(started.scheduledEventId), at, attempt: started.attempt ?? 1 };
    const completed = event.activityTaskCompletedEventAttributes;
    if (completed) {
      const [output] = await decodeArrayFromPayloads(this.converter, completed.result?.payloads);
      return { kind: 'completed', stepId: String(completed.scheduledEventId), at, output };
    }
    const failed = event.activityTaskFailedEventAttributes;
    if (failed) {
      const details = failed.failure?.applicationFailureInfo?.details?.payloads;
      const [output] = details ? await decodeArrayFromPayloads(this.converter, details) : [];
      return {
        kind: 'failed',
        stepId: String(failed.scheduledEventId),
        at,
        output,
        failure: failureMessage(failed.failure) ?? 'failed',
      };
    }
    const timedOut = event.activityTaskTimedOutEventAttributes;
    if (timedOut)
      return { kind: 'timed_out', stepId: String(timedOut.scheduledEventId), at, failure: 'timed out' };
    const canceled = event.activityTaskCanceledEventAttributes;
    if (canceled) return { kind: 'canceled', stepId: String(canceled.scheduledEventId), at };
    return null;
  }

  /** Polls the run's history and pending steps, yielding what changed, until it ends. */
  async *watchRun(
    run: RunLocator,
    { intervalMs = 500 }: { intervalMs?: number } = {},
  ): AsyncGenerator<RunEvent> {
    let status: string | null = null;
    const seen = new Map<string, string>();
    let lastLine = '';
    for (;;) {
      const details = await this.getRun(run);
      if (!details) throw new NotFoundError('run', run.workflowId);
      const at = new Date().toISOString();
      if (details.status !== status) {
        status = details.status;
        yield { type: 'status', status: details.status, at };
      }
      for (const [index, step] of details.steps.entries()) {
        const key = `${index}:${step.status}:${step.attempts}`;
        if (seen.get(String(index)) !== key) {
          seen.set(String(index), key);
          yield { type: 'step', step, at };
        }
      }
      const line = await this.heartbeatLine(run.workflowId);
      if (line && line.line !== lastLine) {
        lastLine = line.line;
        yield { type: 'log', step: line.step, line: line.line, at };
      }
      if (isFinished(details.status)) {
        yield {
          type: 'end',
          status: details.status,
          at,
          ...(details.result === undefined ? {} : { result: details.result }),
          ...(details.failure ? { failure: details.failure } : {}),
        };
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }

  /** The last output line a running step reported in its heartbeat. */
  private async heartbeatLine(workflowId: string): Promise<{ step: string; line: string } | null> {
    const description = await this.client.workflow.getHandle(workflowId).describe();
    for (const activity of description.raw.pendingActivities ?? []) {
      const payloads = activity.heartbeatDetails?.payloads;
      if (!payloads?.length) continue;
      const [detail] = await decodeArrayFromPayloads(this.converter, payloads);
      const line = (detail as { line?: unknown } | undefined)?.line;
      if (typeof line === 'string') return { step: activity.activityType?.name ?? '', line };
    }
    return null;
  }

  async runResult(run: RunLocator): Promise<unknown> {
    try {
      return await this.client.workflow.getHandle(run.workflowId).result();
    } catch (error) {
      if (error instanceof WorkflowFailedError) {
        const message = failureChain(error);
        throw new OperationFailedError(
          `${run.workflowId} failed: ${message}. See runs.get for its steps and logs.`,
          {
            workflowId: run.workflowId,
          },
        );
      }
      throw error;
    }
  }

  async cancelRun(run: RunLocator): Promise<void> {
    await this.client.workflow.getHandle(run.workflowId).cancel();
  }

  async close(): Promise<void> {
    await this.client.connection.close();
  }
}

const STATUS_NAMES: Record<number, string> = {
  1: 'RUNNING',
  2: 'COMPLETED',
  3: 'FAILED',
  4: 'CANCELED',
  5: 'TERMINATED',
  6: 'CONTINUED_AS_NEW',
  7: 'TIMED_OUT',
};
const statusName = (status: unknown) => STATUS_NAMES[Number(status)] ?? 'UNKNOWN';

/** "Activity task failed: <the activity's message>": the innermost cause says what went wrong. */
function failureMessage(failure: temporal.api.failure.v1.IFailure | null | undefined): string | undefined {
  if (!failure) return undefined;
  let current = failure;
  while (current.cause && current.message && /^Activity task failed|^Workflow/.test(current.message))
    current = current.cause;
  return current.message ?? undefined;
}

function failureChain(error: Error): string {
  let current: Error | undefined = error;
  while ((current as { cause?: Error }).cause) current = (current as { cause?: Error }).cause;
  return current?.message ?? error.message;
}
