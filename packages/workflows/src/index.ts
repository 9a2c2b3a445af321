// Workflow code only: deterministic, no I/O, no Node built-ins. The worker bundles this file.
export * from './app-queue.js';
export * from './check-server.js';
export { RUN_PHASE_ATTRIBUTE } from './operation.js';
export * from './operations.js';
