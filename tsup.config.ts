import { existsSync } from 'node:fs';
import { defineConfig } from 'tsup';

// One build recipe for every package: run from the package directory (`npm run build -w ...`).
// Entries are `src/index.ts` plus `src/cli.ts` when the package ships a command.
const entry = ['src/index.ts', 'src/cli.ts'].filter((file) => existsSync(file));

export default defineConfig({
  entry,
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  shims: true,
  target: 'node20',
  tsconfig: 'tsconfig.json',
  // Temporal's packages carry native code and must be resolved at run time, never bundled.
  external: [/^@temporalio\//, /^@cloudwady\//],
});
