import { cloudwadyDataConverter } from '@cloudwady/sdk';
import { NativeConnection, Worker } from '@temporalio/worker';
import { resolveWorkflowsPath } from './workflows-path.js';

export const DEFAULT_TASK_QUEUE = 'cloudwady';

export interface WorkerOptions {
  /** Temporal frontend, e.g. "127.0.0.1:17233". */
  address: string;
  namespace?: string;
  taskQueue?: string;
  /** The activity implementations (see `createActivities` in @cloudwady/activities). */
  activities: object;
  /** Bounded so one worker never runs more builds at once than its host can take. */
  maxConcurrentActivityTaskExecutions?: number;
  /** Key of the payload codec (the same as the SDK's gateway): history holds only ciphertext. */
  payloadKey?: Buffer;
}

export interface RunningWorker {
  worker: Worker;
  taskQueue: string;
  /** Drains in-flight tasks, then closes the connection. */
  stop(): Promise<void>;
}

/** Connects to Temporal and starts polling; returns once the worker runs. */
export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const taskQueue = options.taskQueue ?? DEFAULT_TASK_QUEUE;
  const connection = await NativeConnection.connect({ address: options.address });
  const worker = await Worker.create({
    connection,
    namespace: options.namespace ?? 'default',
    taskQueue,
    workflowsPath: resolveWorkflowsPath(),
    activities: options.activities,
    dataConverter: cloudwadyDataConverter(options.payloadKey),
    maxConcurrentActivityTaskExecutions: options.maxConcurrentActivityTaskExecutions ?? 20,
  });
  const running = worker.run();
  return {
    worker,
    taskQueue,
    async stop() {
      worker.shutdown();
      await running;
      await connection.close();
    },
  };
}
