import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const PURITY_RULES = new Set([
  'no-restricted-imports',
  'no-restricted-globals',
  'no-restricted-properties',
  'no-restricted-syntax',
]);

const eslint = new ESLint({ cwd: process.cwd() });

async function purityRulesFor(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  if (!result) throw new Error('ESLint returned no result');
  const fatal = result.messages.filter((message) => message.fatal);
  expect(fatal, 'the fixture must parse').toEqual([]);
  return result.messages
    .filter((message) => message.ruleId !== null && PURITY_RULES.has(message.ruleId))
    .map((message) => message.ruleId as string);
}

const IMPURE: [string, string, string][] = [
  ['a React import', "import React from 'react';\nexport const x = React;\n", 'no-restricted-imports'],
  [
    'a zustand import',
    "import { create } from 'zustand';\nexport const x = create;\n",
    'no-restricted-imports',
  ],
  [
    'a DOM-timer d3 module',
    "import { timer } from 'd3-timer';\nexport const x = timer;\n",
    'no-restricted-imports',
  ],
  [
    'an import from the UI state',
    "import { x } from '../state/store';\nexport const y = x;\n",
    'no-restricted-imports',
  ],
  ['Math.random()', 'export const r = Math.random();\n', 'no-restricted-properties'],
  ['Date.now()', 'export const t = Date.now();\n', 'no-restricted-properties'],
  ['new Date()', 'export const d = new Date();\n', 'no-restricted-syntax'],
  ['document.title', "document.title = 'MoE Lab';\nexport {};\n", 'no-restricted-globals'],
  ['window', 'export const w = window.innerWidth;\n', 'no-restricted-globals'],
  ['localStorage', "export const s = localStorage.getItem('k');\n", 'no-restricted-globals'],
  ['performance.now()', 'export const p = performance.now();\n', 'no-restricted-globals'],
  ['setTimeout', 'setTimeout(() => undefined, 1);\nexport {};\n', 'no-restricted-globals'],
];

describe('the lint rules keep src/core pure', () => {
  it.each(IMPURE)('reports %s in src/core', async (_name, code, rule) => {
    expect(await purityRulesFor(code, 'src/core/__fixture__.ts')).toContain(rule);
    expect(await purityRulesFor(code, 'src/core/scenario/__fixture__.ts')).toContain(rule);
  });

  it.each(IMPURE)('does not report %s outside src/core', async (_name, code) => {
    expect(await purityRulesFor(code, 'src/panels/__fixture__.ts')).toEqual([]);
    expect(await purityRulesFor(code, 'src/state/__fixture__.ts')).toEqual([]);
  });

  it('really lints both fixture paths (neither is ignored)', async () => {
    for (const filePath of ['src/core/__fixture__.ts', 'src/panels/__fixture__.ts']) {
      const [result] = await eslint.lintText('const unused = 1;\n', { filePath });
      expect(
        result?.messages.map((message) => message.ruleId),
        filePath,
      ).toContain('@typescript-eslint/no-unused-vars');
    }
  });

  it('accepts pure code in src/core', async () => {
    const pure = [
      "import { createRandom } from './random';",
      "import { format } from 'd3';",
      'const random = createRandom(1);',
      'export const draw = random.next() + Math.floor(2.5) + Number(format(".1f")(1));',
      'export const when = Date.UTC(2024, 0, 1);',
    ].join('\n');
    expect(await purityRulesFor(`${pure}\n`, 'src/core/__fixture__.ts')).toEqual([]);
  });

  it('the real src/core has no lint errors', async () => {
    const results = await eslint.lintFiles(['src/core']);
    expect(results.length).toBeGreaterThan(10);
    const errors = results.flatMap((result) =>
      result.messages
        .filter((message) => message.severity === 2)
        .map((message) => `${result.filePath}:${message.line} ${message.ruleId ?? ''} ${message.message}`),
    );
    expect(errors).toEqual([]);
  }, 60_000);
});
