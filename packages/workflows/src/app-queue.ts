import {
  CancellationScope,
  condition,
  continueAsNew,
  defineSignal,
  getExternalWorkflowHandle,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';

/**
 * One operation at a time per app. The SDK enqueues each operation's workflow id here (with
 * signal-with-start, in the order the calls were made) right after starting that workflow; this
 * queue grants the app to the head of the line and waits for it to be released. Operations on
 * other apps have their own queue, so they run in parallel.
 */
export const enqueueSignal = defineSignal<[workflowId: string]>('enqueue');
export const releaseSignal = defineSignal<[workflowId: string]>('release');
/** Sent by the queue to the operation whose turn it is. */
export const grantedSignal = defineSignal('granted');

export const appQueueWorkflowId = (appId: string): string => `app-queue-${appId}`;

/** Keeps the queue's own history short: it starts afresh after this many grants. */
const GRANTS_PER_HISTORY = 200;
/** An idle queue ends; the next enqueue starts it again. */
const IDLE_BEFORE_EXIT = '1 minute';

export async function appQueue(pending: string[] = []): Promise<void> {
  const queue = [...pending];
  const released = new Set<string>();
  setHandler(enqueueSignal, (workflowId) => {
    if (!queue.includes(workflowId)) queue.push(workflowId);
  });
  setHandler(releaseSignal, (workflowId) => {
    released.add(workflowId);
  });

  for (let grants = 0; grants < GRANTS_PER_HISTORY; grants++) {
    const hasWork = await condition(() => queue.length > 0, IDLE_BEFORE_EXIT);
    if (!hasWork) return;
    const holder = queue[0] as string;
    // An operation that already finished (canceled while pending) releases before its turn.
    if (!released.has(holder)) {
      try {
        await getExternalWorkflowHandle(holder).signal(grantedSignal);
        await condition(() => released.has(holder));
      } catch {
        // The operation no longer exists (terminated): skip it rather than block the app.
      }
    }
    queue.shift();
    released.delete(holder);
  }
  await continueAsNew<typeof appQueue>(queue.filter((id) => !released.has(id)));
}

/**
 * Used inside an operation workflow: wait for the app's turn (the run shows as Pending until
 * then), run, and always release, also when canceled while still waiting, so the queue moves on.
 */
export async function withAppTurn<T>(
  appId: string,
  run: () => Promise<T>,
  onGranted: () => void = () => {},
): Promise<T> {
  let granted = false;
  setHandler(grantedSignal, () => {
    granted = true;
  });
  try {
    await condition(() => granted);
    onGranted();
    return await run();
  } finally {
    const queue = getExternalWorkflowHandle(appQueueWorkflowId(appId));
    await CancellationScope.nonCancellable(() => queue.signal(releaseSignal, workflowInfo().workflowId));
  }
}
