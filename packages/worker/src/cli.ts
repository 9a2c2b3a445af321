#!/usr/bin/env node
// cloudwady-worker: runs the operation workflows and their activities for one task queue, with
// settings from the environment (see docs/worker.md). Stops on SIGINT/SIGTERM after draining.
import { operationActivities } from '@cloudwady/activities';
import { CloudWady, CloudWadyError } from '@cloudwady/sdk';
import { Runtime } from '@temporalio/worker';
import { readWorkerConfig, WorkerConfigError } from './config.js';
import { startWorker } from './worker.js';

/** Exit codes: 2 for settings to fix, 1 for anything else. */
const EXIT_CONFIG = 2;
const EXIT_FAILURE = 1;

const say = (line: string) => process.stdout.write(`cloudwady-worker: ${line}\n`);

/** Resolves with the first of SIGINT/SIGTERM; a second one ends the process without draining. */
function firstStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let received: NodeJS.Signals | undefined;
    const onSignal = (signal: NodeJS.Signals) => {
      if (received !== undefined) {
        process.stderr.write(`cloudwady-worker: ${signal} again, exiting without draining\n`);
        process.exit(EXIT_FAILURE);
      }
      received = signal;
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

async function main(): Promise<number> {
  const config = readWorkerConfig();
  // The command owns SIGINT/SIGTERM: Temporal's own handlers would stop the worker behind
  // stop()'s back. A signal during start-up stops the worker as soon as it runs.
  Runtime.install({ shutdownSignals: [] });
  const stopped = firstStopSignal();
  // No options: the store and its key come from CLOUDWADY_DATABASE_URL and CLOUDWADY_SECRET_KEY.
  const client = await CloudWady.connect();
  try {
    const running = await startWorker({
      address: config.address,
      namespace: config.namespace,
      taskQueue: config.taskQueue,
      activities: operationActivities(client.engine, config.hosting),
      ...(config.payloadKey ? { payloadKey: config.payloadKey } : {}),
    }).catch((error: unknown) => {
      throw new Error(
        `cannot start on Temporal at ${config.address}, namespace "${config.namespace}" (CLOUDWADY_TEMPORAL_ADDRESS, CLOUDWADY_NAMESPACE): ${(error as Error).message}`,
        { cause: error },
      );
    });
    say(`polling task queue "${running.taskQueue}" in namespace "${config.namespace}" at ${config.address}`);
    const signal = await stopped;
    say(`${signal}: draining, then stopping`);
    await running.stop();
    say('stopped');
    return 0;
  } finally {
    await client.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const badConfig =
      error instanceof WorkerConfigError ||
      (error instanceof CloudWadyError && error.code === 'validation_failed');
    process.stderr.write(`cloudwady-worker: ${(error as Error).message ?? String(error)}\n`);
    process.exit(badConfig ? EXIT_CONFIG : EXIT_FAILURE);
  },
);
