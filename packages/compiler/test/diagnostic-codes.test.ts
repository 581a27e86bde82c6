/**
 * One code per rule, and no code without a case: every code in DIAGNOSTIC_CODES is produced by a
 * case of the bad-input corpus (test/corpus.test.ts proves each header), named by another test, or
 * listed below with the place that produces it; no two validation rules share a code.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DIAGNOSTIC_CODES } from '@sluice/sdk/ir';
import { RULES } from '@sluice/compiler';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../test/helpers/project.js';

type Key = keyof typeof DIAGNOSTIC_CODES;

/** Codes no test produces, with what produces them and why no test does. */
const PRODUCED_ELSEWHERE: Partial<Record<Key, string>> = {
  UNSAFE_WORKFLOW:
    'packages/targets/src/github/final.ts: the last look at a generated workflow against the GitHub policy. Every user value that could break it is refused earlier (strings, names, overrides: OVERRIDE_UNSAFE), so no input reaches it; test/github-policy.test.ts tests the policy itself.',
};

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'corpus' || entry.name === 'fixtures' ? [] : testFiles(path);
    return /\.test\.ts$/.test(entry.name) && path !== __filename ? [path] : [];
  });
}

const corpusCodes = new Set(
  readdirSync(join(REPO_ROOT, 'test/corpus/bad'))
    .filter((file) => file.endsWith('.ts'))
    .map((file) => /^\/\/ expect: (SLUICE_E_[A-Z_]+)$/m.exec(readFileSync(join(REPO_ROOT, 'test/corpus/bad', file), 'utf8'))?.[1]),
);
const tests = [join(REPO_ROOT, 'test'), ...readdirSync(join(REPO_ROOT, 'packages')).map((name) => join(REPO_ROOT, 'packages', name, 'test'))].flatMap((dir) => {
  try {
    return testFiles(dir).map((path) => ({ path: relative(REPO_ROOT, path), text: readFileSync(path, 'utf8') }));
  } catch {
    return [];
  }
});

/** A test names a code by its value, or by its key on DIAGNOSTIC_CODES (imported as E or in full). */
function namedBy(key: Key): string[] {
  const pattern = new RegExp(`\\b(?:(?:E|DIAGNOSTIC_CODES)\\.${key}|${DIAGNOSTIC_CODES[key]})\\b`);
  return tests.filter(({ text }) => pattern.test(text)).map(({ path }) => path);
}

describe('diagnostic codes', () => {
  it.each(Object.keys(DIAGNOSTIC_CODES) as Key[])('%s is produced by a corpus case or a test, or listed as produced elsewhere', (key) => {
    const produced = corpusCodes.has(DIAGNOSTIC_CODES[key]) || namedBy(key).length > 0;
    expect(produced || PRODUCED_ELSEWHERE[key] !== undefined, `${DIAGNOSTIC_CODES[key]}: add a corpus case (test/corpus/bad) or a test`).toBe(true);
    // A code listed as produced elsewhere that a test now covers should leave the list.
    if (PRODUCED_ELSEWHERE[key] !== undefined) expect(produced, `${key} is tested now: remove it from PRODUCED_ELSEWHERE`).toBe(false);
  });

  it('no two validation rules share a code', () => {
    const codes = RULES.map((rule) => rule.code);
    expect(codes.filter((code, index) => codes.indexOf(code) !== index)).toEqual([]);
    expect(RULES.length).toBeGreaterThan(20);
  });

  it('codes are unique and spelled SLUICE_E_<KEY-like name>', () => {
    const values = Object.values(DIAGNOSTIC_CODES);
    expect(new Set(values).size).toBe(values.length);
    for (const value of values) expect(value).toMatch(/^SLUICE_E_[A-Z][A-Z_]*[A-Z]$/);
  });
});
