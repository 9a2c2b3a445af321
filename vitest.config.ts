import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

// Tests run against the sources, so `npm test` needs no build. Each package is a project;
// tests that need the real local stack are named `*.stack.test.ts` and run one file at a time
// in forked processes (Temporal workers in threads have run out of WebAssembly memory).
const alias = {
  '@cloudwady/sdk': src('sdk'),
  '@cloudwady/workflows': src('workflows'),
  '@cloudwady/activities': src('activities'),
  '@cloudwady/worker': src('worker'),
  '@cloudwady/testing': src('testing'),
};

const packages = ['sdk', 'workflows', 'activities', 'worker', 'testing'];

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      ...packages.map((pkg) => ({
        extends: true as const,
        test: {
          name: pkg,
          include: [`packages/${pkg}/test/**/*.test.ts`],
          exclude: ['**/*.stack.test.ts'],
        },
      })),
      {
        extends: true as const,
        test: {
          name: 'stack',
          include: ['packages/*/test/**/*.stack.test.ts', 'examples/test/**/*.stack.test.ts'],
          pool: 'forks' as const,
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
