export * from './server-check.js';
export type * from './contract.js';
