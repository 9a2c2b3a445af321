import type { OperationActivities } from '@cloudwady/activities';
import { proxyActivities } from '@temporalio/workflow';

// Retry policies per kind of step. User errors (bad config, unknown module, no such release)
// are thrown by activities as non-retryable ApplicationFailures, so they fail fast.
const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' };

/** Quick reads and record writes. */
export const records = proxyActivities<OperationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { ...retry, maximumAttempts: 5 },
});

/** Host steps of seconds to a minute: containers, proxy, config files. */
export const host = proxyActivities<OperationActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { ...retry, maximumAttempts: 5 },
});

/**
 * Long steps: git fetch, image build, module install/update, health wait. They heartbeat every
 * 5 s (StepLog.during), so a worker that died is noticed after 20 s and the step retried elsewhere.
 */
export const long = proxyActivities<OperationActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '20 seconds',
  retry: { ...retry, maximumAttempts: 3 },
});
