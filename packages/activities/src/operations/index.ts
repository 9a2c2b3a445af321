export * from './app-activities.js';
export type * from './contract.js';
export * from './hosting.js';
export * from './modules.js';
export * from './server-check.js';
export * from './step-log.js';
