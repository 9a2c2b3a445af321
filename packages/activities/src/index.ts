export * from './build/index.js';
export * from './commands/index.js';
export * from './host/index.js';
export * from './operations/index.js';
export * from './runtime/index.js';
