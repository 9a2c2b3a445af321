export * from './worker.js';
export { resolveWorkflowsPath } from './workflows-path.js';
