/** The quoting helper: bash must read back exactly the word, whatever it contains. */
import { spawnSync } from 'node:child_process';
import { shellQuote } from '@sluice/targets';
import fc from 'fast-check';
import { expect, it } from 'vitest';

const echoBack = (words: string[]): string[] => {
  const script = `printf '%s\\0' ${words.map(shellQuote).join(' ')}`;
  const result = spawnSync('bash', ['-c', script], { encoding: 'utf8' });
  return result.stdout.split('\0').slice(0, -1);
};

it('round-trips hostile words through bash', () => {
  const words = ["it's", '$(id)', '`id`', '"quoted"', 'back\\slash', 'a b', '*', '~', '-rf', 'new\nline', '$HOME', '!x', 'a,b', '', 'ünïcødé'];
  expect(echoBack(words)).toEqual(words);
});

it('round-trips any string without NUL (property)', () => {
  fc.assert(
    fc.property(fc.array(fc.string({ unit: 'binary' }).filter((s) => !s.includes('\0')), { minLength: 1, maxLength: 5 }), (words) => {
      expect(echoBack(words)).toEqual(words);
    }),
    { seed: 7, numRuns: 200 },
  );
});
