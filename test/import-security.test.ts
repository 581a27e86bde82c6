/**
 * Issue 11, class 7: no workflow text ever becomes code in pipeline.ts. Hostile workflows (quotes,
 * backslashes, comment openers and closers, CR, U+2028/U+2029, NEL, NUL, lone surrogates, `${{`,
 * statement breakers) in every field import reads must give a file that parses to exactly the shape
 * import writes: one import, one exported pipeline, only DSL calls, workflow text only inside string
 * literals, and comments only from import's fixed text.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { Node, Project, SyntaxKind, type SourceFile } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { importWorkflow } from '../packages/compiler/src/import/index.js';
import { makeProject, REPO_ROOT, SLUICE_BIN, snapshotTree } from './helpers/project.js';

const PIECES = ['\u061c', '\u{e0041}', '\u200b', '"', "'", '`', '\\', '*/', '/*', '//', '\n', '\r', '\u2028', '\u2029', '\u0085', '\u0000', '\ud800', '${', '}', '${{ ', ' }}', ');', '});', 'process.exit(1)', '<!--', '-->', '#', ' ', 'dbt', 'build', '--select', 'a', 'x=1', '$HOME', '|', ';', '&&'];
const hostile = fc.oneof(fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 8 }).map((parts) => parts.join('')), fc.string({ unit: 'binary', maxLength: 12 }));
const word = fc.oneof(hostile, fc.constantFrom('build', 'notify', 'constructor', '__proto__', 'inputs', 'when', 'default', '1abc'));

const stepArb = fc.record(
  {
    name: hostile,
    id: word,
    run: fc.oneof(hostile, hostile.map((text) => `dbt build --select ${text}`), hostile.map((text) => `echo \${{ inputs.${text} }} && ${text}`)),
    if: fc.oneof(hostile, hostile.map((text) => `always() && '${text}'`), hostile.map((text) => `steps.${text}.outcome == '${text}'`)),
    env: fc.dictionary(word, fc.oneof(hostile, hostile.map((text) => `\${{ secrets.${text} }}`))),
    'continue-on-error': fc.boolean(),
    uses: fc.oneof(hostile.map((text) => `slackapi/slack-github-action@${text}`), hostile),
    with: fc.dictionary(word, hostile),
  },
  { requiredKeys: [] },
);
const workflowArb = fc.record({
  name: hostile,
  on: fc.record({
    schedule: fc.array(fc.record({ cron: hostile }), { maxLength: 2 }),
    push: fc.record({ branches: fc.array(hostile, { maxLength: 2 }), paths: fc.array(hostile, { maxLength: 2 }) }),
    workflow_dispatch: fc.record({ inputs: fc.dictionary(word, fc.record({ description: hostile, type: fc.constantFrom('string', 'choice', 'boolean', 'number', 'environment'), default: hostile, options: fc.array(hostile, { maxLength: 2 }) })) }),
  }),
  env: fc.dictionary(word, hostile),
  jobs: fc.dictionary(word, fc.record({ 'runs-on': hostile, needs: fc.array(word, { maxLength: 2 }), if: hostile, env: fc.dictionary(word, hostile), steps: fc.array(stepArb, { maxLength: 4 }) }, { requiredKeys: ['steps'] }), { minKeys: 1, maxKeys: 3 }),
  [`x-${'y'}`]: hostile,
});

const DSL_CALLS = /^(pipeline|secret|todo|shell|shell\.script|trigger\.(schedule|manual|push|pullRequest)|input\.(string|boolean|number|choice)|runtime\.python|dbt\.(build|run|test|seed|snapshot|retry|docs|sourceFreshness)|notify\.slack|when\.(success|failure|always|succeeded|failed|skipped|and|or|not))$/;
const ALLOWED_KINDS = new Set([
  SyntaxKind.SourceFile, SyntaxKind.SyntaxList, SyntaxKind.EndOfFileToken, SyntaxKind.ImportDeclaration, SyntaxKind.ImportClause, SyntaxKind.NamedImports,
  SyntaxKind.ImportSpecifier, SyntaxKind.VariableStatement, SyntaxKind.VariableDeclarationList, SyntaxKind.VariableDeclaration, SyntaxKind.ExportKeyword,
  SyntaxKind.Identifier, SyntaxKind.StringLiteral, SyntaxKind.NumericLiteral, SyntaxKind.TrueKeyword, SyntaxKind.FalseKeyword, SyntaxKind.NullKeyword,
  SyntaxKind.PrefixUnaryExpression, SyntaxKind.CallExpression, SyntaxKind.PropertyAccessExpression, SyntaxKind.ElementAccessExpression,
  SyntaxKind.ObjectLiteralExpression, SyntaxKind.PropertyAssignment, SyntaxKind.ArrayLiteralExpression, SyntaxKind.ArrowFunction,
  SyntaxKind.ObjectBindingPattern, SyntaxKind.BindingElement, SyntaxKind.Block, SyntaxKind.ReturnStatement, SyntaxKind.ShorthandPropertyAssignment,
  SyntaxKind.EqualsGreaterThanToken, SyntaxKind.MinusToken, SyntaxKind.Parameter,
]);
const FIXED_COMMENTS = new Set([
  "// Imported by `sluice import`; the migration report says what was mapped and why each todo exists.",
  '// Each todo is something the workflow did that this pipeline does not do (yet).',
  '// `sluice check` and `sluice compile` fail until every entry is handled and deleted.',
]);

function assertShape(sourceFile: SourceFile): void {
  const parseErrors = (sourceFile.compilerNode as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics;
  expect(parseErrors).toEqual([]);
  const statements = sourceFile.getStatements();
  expect(statements.map((statement) => statement.getKindName())).toEqual(['ImportDeclaration', 'VariableStatement']);
  sourceFile.forEachDescendant((node) => {
    expect(ALLOWED_KINDS.has(node.getKind()), node.getKindName()).toBe(true);
    if (Node.isCallExpression(node)) expect(node.getExpression().getText()).toMatch(DSL_CALLS);
    for (const range of [...node.getLeadingCommentRanges(), ...node.getTrailingCommentRanges()]) expect(FIXED_COMMENTS.has(range.getText())).toBe(true);
  });
  // Inside steps: only `const id = <DSL call>;` and the final return.
  const arrow = sourceFile.getFirstDescendantByKindOrThrow(SyntaxKind.ArrowFunction);
  const body = arrow.getBody();
  if (!Node.isBlock(body)) throw new Error('steps is not a block');
  const inner = body.getStatements();
  expect(inner.at(-1)?.getKind()).toBe(SyntaxKind.ReturnStatement);
  for (const statement of inner.slice(0, -1)) {
    expect(statement.getKind()).toBe(SyntaxKind.VariableStatement);
    const declaration = statement.getFirstDescendantByKindOrThrow(SyntaxKind.VariableDeclaration);
    expect(declaration.getName()).toMatch(/^[A-Za-z][A-Za-z0-9]*$/);
    expect(declaration.getInitializer()?.getKind()).toBe(SyntaxKind.CallExpression);
  }
}

it('hostile workflow text only ever reaches pipeline.ts as string literals', async () => {
  const project = new Project({ useInMemoryFileSystem: true });
  await fc.assert(
    fc.asyncProperty(workflowArb, async (workflow) => {
      const { code } = await importWorkflow('hostile.yml', stringify(workflow));
      const sourceFile = project.createSourceFile('pipeline.ts', code, { overwrite: true });
      assertShape(sourceFile);
      // Line terminators that JavaScript (or an editor) honours never appear raw.
      expect(code).not.toMatch(/[\r\u2028\u2029\u0085\u0000\u202e\u{e0001}]/u);
    }),
    { numRuns: 150 },
  );
}, 120_000);

/**
 * The hostile corpus (test/fixtures/import/hostile/): each workflow goes through the real CLI. It is
 * either refused with its code (`# expect:` header), stack-free and with nothing written, or imported
 * to a pipeline.ts of the allowed shape that `sluice check` then refuses with coded diagnostics only
 * (one SLUICE_E_IMPORT_TODO per TODO), writing nothing.
 */
const HOSTILE = join(REPO_ROOT, 'test/fixtures/import/hostile');
describe.each(readdirSync(HOSTILE).filter((name) => name.endsWith('.yml')).sort())('hostile workflow %s', (file) => {
  it('is refused with a code or imported as data only', () => {
    const source = readFileSync(join(HOSTILE, file), 'utf8');
    const expected = /^# expect: (SLUICE_E_\w+)$/m.exec(source)?.[1];
    const dir = makeProject({ 'w.yml': source });
    const before = snapshotTree(dir);
    const imported = spawnSync(process.execPath, [SLUICE_BIN, 'import', 'w.yml', '--out', 'pipeline.ts', '--json'], { cwd: dir, encoding: 'utf8' });
    expect(imported.stderr).not.toMatch(/\n\s+at /);
    if (expected) {
      expect(imported.status).toBe(2);
      expect(imported.stderr).toMatch(new RegExp(`^error ${expected}: `));
      expect(snapshotTree(dir)).toEqual(before);
      return;
    }
    expect(imported.status, imported.stderr).toBe(0);
    const report = JSON.parse(imported.stdout) as { todos: unknown[] };
    const code = readFileSync(join(dir, 'pipeline.ts'), 'utf8');
    assertShape(new Project({ useInMemoryFileSystem: true }).createSourceFile('pipeline.ts', code));
    expect(code).not.toMatch(/[\r\u2028\u2029\u0085\u202e\u200b\ufeff\u{e0041}]/u);
    const written = snapshotTree(dir);
    const check = spawnSync(process.execPath, [SLUICE_BIN, 'check', '--json'], { cwd: dir, encoding: 'utf8' });
    expect(check.stderr).not.toMatch(/\n\s+at /);
    const diagnostics = (JSON.parse(check.stdout) as { diagnostics: { code: string }[] }).diagnostics;
    for (const diagnostic of diagnostics) expect(diagnostic.code).toMatch(/^SLUICE_E_[A-Z_]+$/);
    expect(diagnostics.filter((diagnostic) => diagnostic.code === 'SLUICE_E_IMPORT_TODO')).toHaveLength(report.todos.length);
    expect(check.status).toBe(report.todos.length > 0 ? 1 : check.status);
    expect(snapshotTree(dir)).toEqual(written);
  });
});
