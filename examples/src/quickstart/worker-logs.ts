// The worker's own logging, kept to warnings and errors: at its default (INFO) Temporal prints
// every activity's log entries with their metadata, which would bury the quickstart's lines.
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { Output } from './output.js';

/** Must run before the first Temporal connection of the process (the runtime is a singleton). */
export function showWorkerWarningsOnly(out: Output): void {
  Runtime.install({
    logger: new DefaultLogger('WARN', (entry) => out.log(`  [worker] ${entry.level} ${entry.message}`)),
  });
}
