import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The file the Temporal bundler starts from. Workflows must be bundled from their own package
 * (they run in Temporal's deterministic sandbox), so the worker resolves it rather than importing it.
 * Running from TypeScript sources (tests, `vitest`) uses the sources so a stale build never runs.
 */
export function resolveWorkflowsPath(): string {
  const packageDir = dirname(createRequire(import.meta.url).resolve('@cloudwady/workflows/package.json'));
  const fromSources = fileURLToPath(import.meta.url).endsWith('.ts');
  const candidates = fromSources
    ? [join(packageDir, 'src/index.ts')]
    : [join(packageDir, 'dist/index.js'), join(packageDir, 'src/index.ts')];
  const found = candidates.find((file) => existsSync(file));
  if (!found) {
    throw new Error(`@cloudwady/workflows has no ${candidates.join(' or ')}: run \`npm run build\``);
  }
  return found;
}
