// @cloudwady/testing: the real local stack (Temporal, Docker, sshd, PostgreSQL, nginx, Pebble)
// for CloudWady's tests and examples.
export { ensureImages } from './images/index.js';
export { DEFAULT_PORTS, portEnvName, resolvePorts } from './ports.js';
export { addonFiles, createSampleAddons, type SampleAddonsRepository } from './sample-addons.js';
export { ALL_SERVICES, defaultStateDir, resolveSettings, type StackSettings } from './settings.js';
export { startStack, stopStack } from './stack.js';
export { type StackStatus, stackStatus } from './status.js';
export { CLOUDWADY_SEARCH_ATTRIBUTES } from './temporal.js';
export type * from './types.js';
