/**
 * The YAML policy, checked on every YAML file the examples produce: YAML 1.1 and 1.2 readers see
 * the same data, no anchors or aliases, no folded lines; output is byte-identical when compiled
 * twice and from another working directory, and carries no absolute path.
 */
import { join } from 'node:path';
import { compileProject } from '@sluice/compiler';
import { describe, expect, it } from 'vitest';
import { isAlias, parseAllDocuments, visit } from 'yaml';
import { examplesWithConfig, REPO_ROOT } from './helpers/project.js';

describe.each(examplesWithConfig())('YAML of example %s', async (example) => {
  const cwd = join(REPO_ROOT, 'examples', example);
  const result = await compileProject({ cwd });
  const yamlFiles = result.files.filter((file) => /\.ya?ml$/.test(file.path));

  it.each(yamlFiles)('$path reads the same under YAML 1.1 and 1.2, without aliases', ({ content }) => {
    const v11 = parseAllDocuments(content, { version: '1.1' });
    const v12 = parseAllDocuments(content, { version: '1.2' });
    expect(v11.map((d) => d.toJS())).toEqual(v12.map((d) => d.toJS()));
    for (const document of v12) {
      expect(document.errors).toEqual([]);
      visit(document, { Node: (_, node) => void expect(isAlias(node)).toBe(false) });
    }
    expect(content).not.toMatch(/^\s*[\w"-]+: [&*]\w/m);
  });

  it.each(yamlFiles)('$path has no folded scalars', ({ content }) => {
    expect(content).not.toMatch(/:\s*>[-+]?\s*$/m);
  });

  it('is byte-identical from another working directory, with no absolute path inside', async () => {
    const elsewhere = await compileProject({ cwd: REPO_ROOT, config: `examples/${example}/sluice.config.ts` });
    expect(elsewhere.files).toEqual(result.files);
    for (const file of result.files) {
      expect(file.content).not.toContain(REPO_ROOT);
      expect(file.content).not.toMatch(/\/tmp\/|\/home\/|\/root\//);
    }
  });
});
