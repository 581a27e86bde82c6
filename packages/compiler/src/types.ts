/**
 * `sluice types`: a TypeScript module of the dbt project's names, generated with ts-morph from
 * target/manifest.json, so `model('orders').plus()` and `tag('nightly')` autocomplete and a typo is a
 * type error. Deterministic (names sorted), with the Sluice header so `sluice types` may rewrite it.
 */
import { readFileSync } from 'node:fs';
import { DIAGNOSTIC_CODES, type Diagnostic } from '@sluice/sdk/ir';
import { headerComment } from '@sluice/targets';

interface Manifest {
  metadata?: { project_name?: string };
  nodes?: Record<string, { resource_type?: string; name?: string; tags?: string[]; config?: { tags?: string[] | string } }>;
  sources?: Record<string, { source_name?: string; name?: string; tags?: string[] }>;
  selectors?: Record<string, unknown>;
}

export interface DbtNames {
  models: string[];
  seeds: string[];
  snapshots: string[];
  sources: string[];
  tags: string[];
  selectors: string[];
}

export function readDbtNames(manifestPath: string): { names?: DbtNames; diagnostics: Diagnostic[] } {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  } catch (error) {
    return {
      diagnostics: [
        {
          code: DIAGNOSTIC_CODES.MANIFEST_UNREADABLE,
          message: `Could not read the dbt manifest ${manifestPath}: ${(error as Error).message}`,
          hint: 'Run `dbt parse` (or `dbt compile`) first; it writes target/manifest.json.',
          path: [],
        },
      ],
    };
  }
  const set = (values: Iterable<string | undefined>): string[] => [...new Set([...values].filter((value): value is string => Boolean(value)))].sort();
  const nodes = Object.values(manifest.nodes ?? {});
  const of = (type: string) => set(nodes.filter((node) => node.resource_type === type).map((node) => node.name));
  const tags = set([
    ...nodes.flatMap((node) => [...(node.tags ?? []), ...(Array.isArray(node.config?.tags) ? node.config.tags : node.config?.tags ? [node.config.tags] : [])]),
    ...Object.values(manifest.sources ?? {}).flatMap((source) => source.tags ?? []),
  ]);
  return {
    names: {
      models: of('model'),
      seeds: of('seed'),
      snapshots: of('snapshot'),
      sources: set(Object.values(manifest.sources ?? {}).map((source) => (source.source_name && source.name ? `${source.source_name}.${source.name}` : undefined))),
      tags,
      selectors: set(Object.keys(manifest.selectors ?? {})),
    },
    diagnostics: [],
  };
}

export async function renderTypesModule(names: DbtNames, source: string): Promise<string> {
  const { Project, VariableDeclarationKind } = await import('ts-morph');
  const project = new Project({ useInMemoryFileSystem: true });
  const file = project.createSourceFile('dbt-names.ts', '');
  file.addImportDeclaration({ moduleSpecifier: '@sluice/sdk', namedImports: ['nodeSelector', { name: 'NodeSelector', isTypeOnly: true }] });
  const union = (values: string[]): string => (values.length === 0 ? 'never' : values.map((value) => JSON.stringify(value)).join(' | '));
  const kinds: { type: string; list: string; fn: string; values: string[]; prefix: string; doc: string }[] = [
    { type: 'Model', list: 'models', fn: 'model', values: names.models, prefix: '', doc: 'A model of the project.' },
    { type: 'Seed', list: 'seeds', fn: 'seed', values: names.seeds, prefix: '', doc: 'A seed of the project.' },
    { type: 'Snapshot', list: 'snapshots', fn: 'snapshot', values: names.snapshots, prefix: '', doc: 'A snapshot of the project.' },
    { type: 'Source', list: 'sources', fn: 'source', values: names.sources, prefix: 'source:', doc: 'A source table, as `source_name.table`.' },
    { type: 'Tag', list: 'tags', fn: 'tag', values: names.tags, prefix: 'tag:', doc: 'A tag used in the project.' },
    { type: 'YamlSelector', list: 'yamlSelectors', fn: 'yamlSelector', values: names.selectors, prefix: '', doc: 'A selector from selectors.yml (use with `selector:`).' },
  ];
  for (const kind of kinds) {
    file.addTypeAlias({ name: kind.type, isExported: true, type: union(kind.values), docs: [kind.doc] });
    file.addVariableStatement({
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      declarations: [{ name: kind.list, type: `readonly ${kind.type}[]`, initializer: `[${kind.values.map((value) => JSON.stringify(value)).join(', ')}]` }],
    });
    if (kind.fn === 'yamlSelector') continue;
    file.addFunction({
      name: kind.fn,
      isExported: true,
      parameters: [{ name: 'name', type: kind.type }],
      returnType: 'NodeSelector',
      statements: kind.prefix ? `return nodeSelector(${JSON.stringify(kind.prefix)} + name);` : 'return nodeSelector(name);',
      docs: [`${kind.doc} Graph operators are methods: \`.plus()\`, \`.parents()\`, \`.family()\`, \`.at()\`.`],
    });
  }
  file.formatText({ indentSize: 2 });
  const header = headerComment({ owner: 'types', source, contents: 'dbt names', command: 'sluice types' }, 'typescript').trimEnd();
  return `${header}\n${file.getFullText()}`;
}
