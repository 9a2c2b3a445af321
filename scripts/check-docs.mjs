#!/usr/bin/env node
// Compiles every ```ts block of docs/**/*.md against the BUILT packages, so the examples a
// newcomer copies keep working. A block fenced as ```ts ignore is a fragment and is skipped.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, '.doc-examples');

const markdownFiles = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return markdownFiles(path);
    return name.endsWith('.md') ? [path] : [];
  });

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const files = [];
for (const doc of markdownFiles(join(root, 'docs'))) {
  const text = readFileSync(doc, 'utf8');
  const blocks = [...text.matchAll(/^```ts\n([\s\S]*?)^```$/gm)];
  blocks.forEach((block, index) => {
    const name = `${relative(join(root, 'docs'), doc).replace(/[/.]/g, '_')}_${index + 1}.mts`;
    // `export {}` makes each block a module, so top-level await and local names don't clash.
    writeFileSync(join(out, name), `${block[1]}\nexport {};\n`);
    files.push(name);
  });
}
writeFileSync(
  join(out, 'tsconfig.json'),
  JSON.stringify({
    extends: '../tsconfig.base.json',
    compilerOptions: {
      noEmit: true,
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      target: 'ES2022',
      noUnusedLocals: false,
    },
    include: ['*.mts'],
  }),
);
console.log(`check-docs: compiling ${files.length} examples from docs/`);
try {
  execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', out], { stdio: 'inherit' });
} catch {
  console.error('check-docs: a docs example does not compile (files kept in .doc-examples/ to inspect)');
  process.exit(1);
}
rmSync(out, { recursive: true, force: true });
console.log('check-docs: all examples compile');
