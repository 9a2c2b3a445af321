// docs/sdk: one page per resource, and every ```ts example is a complete program that
// type-checks against the SDK (CI compiles them against the built packages the same way).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const docs = join(root, 'docs/sdk');
const PAGES = [
  'projects',
  'environments',
  'servers',
  'apps',
  'branches',
  'urls',
  'releases',
  'backups',
  'restorations',
  'members',
  'access',
  'runs',
  'errors',
  'configuration',
];

function examples(): { file: string; page: string; code: string }[] {
  return readdirSync(docs)
    .filter((name) => name.endsWith('.md'))
    .flatMap((name) => {
      const text = readFileSync(join(docs, name), 'utf8');
      return [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((match, i) => ({
        page: name,
        file: join(docs, '.examples', `${name.replace(/\.md$/, '')}-${i + 1}.mts`),
        code: match[1] ?? '',
      }));
    });
}

describe('docs/sdk', () => {
  it('has a page for every resource, each with an example', () => {
    const blocks = examples();
    for (const page of PAGES) {
      expect(
        blocks.some((b) => b.page === `${page}.md`),
        `${page}.md`,
      ).toBe(true);
    }
    for (const block of blocks) expect(block.code, block.file).toMatch(/from '@cloudwady\/sdk';/);
  });

  it('has examples that type-check as complete programs', { timeout: 60_000 }, () => {
    const blocks = examples();
    const virtual = new Map(blocks.map((b) => [b.file, b.code]));
    const options: ts.CompilerOptions = {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      lib: ['lib.es2022.d.ts'],
      types: ['node'],
      strict: true,
      noUncheckedIndexedAccess: true,
      skipLibCheck: true,
      noEmit: true,
      paths: { '@cloudwady/sdk': [join(root, 'packages/sdk/src/index.ts')] },
    };
    const host = ts.createCompilerHost(options);
    const { fileExists, readFile, getSourceFile } = host;
    host.fileExists = (file) => virtual.has(file) || fileExists(file);
    host.readFile = (file) => virtual.get(file) ?? readFile(file);
    host.getSourceFile = (file, language, onError) => {
      const code = virtual.get(file);
      return code === undefined
        ? getSourceFile(file, language, onError)
        : ts.createSourceFile(file, code, language, true);
    };
    const program = ts.createProgram([...virtual.keys()], options, host);
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file && virtual.has(d.file.fileName))
      .map((d) => {
        const { line } = d.file?.getLineAndCharacterOfPosition(d.start ?? 0) ?? { line: 0 };
        return `${d.file?.fileName.split('/').pop()}:${line + 1} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      });
    expect(problems).toEqual([]);
  });
});
