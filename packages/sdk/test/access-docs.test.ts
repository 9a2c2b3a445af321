// docs/access.md is the reference users read; its action table must say what the catalog does.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ACTIONS, type ActionDefinition } from '../src/access/index.js';

const doc = readFileSync(new URL('../../../docs/access.md', import.meta.url), 'utf8');
const LEVEL_WORDS: Record<ActionDefinition['level'], string> = {
  all: 'All',
  'developer+': 'Developer+',
  'developer+env': 'Developer+ (env-type specific)',
  admin: 'Admin',
};
const RULE_WORDS: Record<NonNullable<ActionDefinition['targetRule']>, string> = {
  notPrimaryUrl: 'not the primary URL',
  notMainBranch: 'not the main branch',
  dockerOnly: 'Docker method only',
  needsSslProvider: 'SSL provider set',
};

function actionTableRows(): string[][] {
  const start = doc.indexOf('## The actions');
  const end = doc.indexOf('\n## ', start + 1);
  expect(start).toBeGreaterThan(0);
  return doc
    .slice(start, end)
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) =>
      line
        .slice(1, -1)
        .split(' | ')
        .map((cell) => cell.trim()),
    );
}

describe('docs/access.md', () => {
  const rows = actionTableRows();

  it('lists every action once, in catalog order', () => {
    expect(rows.map((row) => row[0])).toEqual(ACTIONS.map((action) => `\`${action.name}\``));
  });

  it.each(ACTIONS.map((action) => [action.name, action] as const))(
    '%s row matches the catalog',
    (name, action) => {
      const row = rows.find((cells) => cells[0] === `\`${name}\``);
      const def: ActionDefinition = action;
      const target = def.targetRule ? `${def.targets} (${RULE_WORDS[def.targetRule]})` : def.targets;
      expect(row?.slice(1, 7)).toEqual([
        def.label,
        def.section,
        LEVEL_WORDS[def.level],
        def.states ? def.states.join(', ') : 'every',
        def.needsWorkflow ? 'yes' : 'no',
        target,
      ]);
      expect(row?.[7]?.length ?? 0).toBeGreaterThan(5);
    },
  );
});
