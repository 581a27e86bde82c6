/**
 * The YAML writer's contract, judged by the `yaml` package's parser in YAML 1.1 and 1.2 modes:
 * whatever plain data goes in comes back out exactly, for hostile strings and random shapes.
 */
import { toYaml, toYamlDocuments, withComment } from '@sluice/targets';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const SPECIALS = ['on', 'off', 'yes', 'no', 'y', 'n', 'Y', 'NO', 'true', 'False', 'null', '~', '', ' ', '12:30', '1:2:3', '2024-01-01', '2024-1-1 10:00', '0x1F', '0o17', '012', '1e3', '.5', '-.inf', '.NaN', '+1', '=', '<<', '- item', '? key', ': x', '#x', 'a #b', 'a: b', 'a:', '&anchor', '*alias', '!tag', '|', '>', "'", '"', '%', '@', '`', '[x]', '{x}', ',', 'tab\there', ' lead', 'trail ', '\n', 'a\n', 'a\n\n', '\n a', ' a\nb\n', 'a\r\nb', '\u2028', '\u0085', '\ufeffbom', 'é中', '${{ x }}', '.', '..', './'];

const roundTrips = (data: unknown): void => {
  const text = toYaml(data);
  expect(parse(text, { version: '1.2' }), text).toEqual(data);
  expect(parse(text, { version: '1.1' }), text).toEqual(data);
};

describe('the YAML writer', () => {
  it.each(SPECIALS)('keeps %j a string, as a value and as a key', (value) => {
    roundTrips({ value, list: [value], [value || 'empty']: value, nested: [{ [value || 'k']: [value] }] });
  });

  it('writes trailing comments that readers ignore', () => {
    const text = toYaml({ uses: withComment('actions/checkout@0123', 'v7.0.1') });
    expect(text).toBe('uses: actions/checkout@0123 # v7.0.1\n');
    expect(parse(text)).toEqual({ uses: 'actions/checkout@0123' });
  });

  it('uses block literals for scripts and never folds long lines', () => {
    const script = `set -e\n${'x'.repeat(300)}\n  indented\n`;
    const text = toYaml({ run: script });
    expect(text).toContain('run: |\n');
    expect(text.split('\n').some((line) => line.length > 300)).toBe(true);
    roundTrips({ run: script });
  });

  it('round-trips random data (property)', () => {
    const text = fc.oneof(fc.constantFrom(...SPECIALS), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }).filter((s) => !/[\u0000\uD800-\uDFFF]/.test(s)));
    const leaf = fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null), fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)));
    const data = fc.letrec<{ node: unknown }>((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(text, tie('node'), { maxKeys: 4 })),
    })).node;
    fc.assert(fc.property(data, (value) => roundTrips(value)), { seed: 11, numRuns: 2000 });
  });

  it('a large file (past the writer\'s first buffer, several growths) comes back whole, multi-byte text included', () => {
    const data = { items: Array.from({ length: 20_000 }, (_, index) => ({ name: `step-${index}`, note: index % 7 === 0 ? 'é 漢字 😀 "q"' : `plain ${index}`, lines: 'a\nb\n' })) };
    roundTrips(data);
    const two = toYamlDocuments([data, { kind: 'second' }]).split('---\n');
    expect(two).toHaveLength(2);
    expect(parse(two[1] as string)).toEqual({ kind: 'second' });
  });
  it('a lone surrogate (which UTF-8 cannot hold) is returned exactly as given', () => {
    for (const value of ['\uD800', 'x\uDC00y', `${'a'.repeat(70_000)}\uD83D`]) {
      const text = toYaml({ before: 'é', value, after: ['ok 😀'] });
      expect(text).toContain(value);
      expect(text.endsWith('  - ok 😀\n')).toBe(true);
    }
  });
});
