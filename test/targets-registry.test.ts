/**
 * The target registry is the one list of targets: the README table, the config schema's names and
 * the header owners derive from it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isGenerated, readHeader, headerComment, TARGET_NAMES, TARGET_REGISTRY, targetTableMarkdown, loadTarget } from '@sluice/targets';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../packages/compiler/src/config-schema.js';
import { REPO_ROOT } from './helpers/project.js';

describe('target registry', () => {
  it('the README target table is the one rendered from the registry', () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(targetTableMarkdown());
  });

  it('the config accepts exactly the registry names, and checks each target settings by its schema', () => {
    for (const name of TARGET_NAMES) expect(configSchema.safeParse({ target: name }).success).toBe(true);
    expect(configSchema.safeParse({ target: 'jenkins' }).success).toBe(false);
    for (const name of TARGET_NAMES) expect(configSchema.safeParse({ targets: { [name]: { [TARGET_REGISTRY[name].outputSettings[0] as string]: 42 } } }).success).toBe(false);
  });

  it('every target loads under its own name, and owns files by that name', async () => {
    for (const name of TARGET_NAMES) {
      const { target, options } = await loadTarget(name, undefined);
      expect(target.name).toBe(name);
      expect(target.outputDirs(options).length).toBeGreaterThan(0);
      const header = headerComment({ owner: name, source: 'pipeline.ts', contents: 'x' }, 'yaml');
      expect(isGenerated(header)).toBe(true);
      expect(readHeader(header)?.owner).toBe(name);
    }
  });

  it('every refusal names its way out', () => {
    for (const name of TARGET_NAMES) for (const refusal of TARGET_REGISTRY[name].refuses) expect(refusal.wayOut.length).toBeGreaterThan(5);
  });
});
