// Builds every package's dist/ from src/:
// - JavaScript: one file per entry point for the SDK; one file in, one file out for the targets and
//   the compiler's library entry (so their lazy imports stay lazy);
// - declarations (.d.ts with declaration maps to src/) from TypeScript, unless --no-types (the test
//   run's global setup, which only needs the JavaScript);
// - the CLI: one bundled ESM file (dist/cli.bundle.js) with commander, diff, yaml, the targets and the
//   precompiled handlebars template inside, so `sluice --help` reads one file; every command's code
//   initialises only when that command runs;
// - the version: set once, in the root package.json, copied into every package.json here and into
//   the code at build time (`__SLUICE_VERSION__`).
// Runs from `npm install` (prepare) so a fresh clone needs no manual build step.
import { build } from 'esbuild';
import Handlebars from 'handlebars';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = new URL('..', import.meta.url).pathname;
const packages = ['sdk', 'targets', 'compiler'];
const withTypes = !process.argv.includes('--no-types');
const version = syncVersions();
// Each package's tarball carries the license: a copy of the root LICENSE, kept equal here.
for (const pkg of packages) {
  const license = readFileSync(join(root, 'LICENSE'), 'utf8');
  const copy = join(root, 'packages', pkg, 'LICENSE');
  if ((existsSync(copy) ? readFileSync(copy, 'utf8') : undefined) !== license) writeFileSync(copy, license);
}
const define = { __SLUICE_VERSION__: JSON.stringify(version) };

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/**
 * The root package.json's version is the one version (and its license, repository, homepage and bugs
 * are the packages'). Every package's own version, the range each
 * package asks of another (`^version`), and the examples' dev dependencies follow it; a file is
 * rewritten only when it differs, so a build changes nothing until the root version does.
 */
function syncVersions() {
  const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
  const { version: rootVersion, license, repository, homepage, bugs } = readJson(join(root, 'package.json'));
  if (!/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(rootVersion ?? '')) throw new Error(`The root package.json has no usable version: ${rootVersion}`);
  const manifests = [...packages.map((pkg) => join(root, 'packages', pkg, 'package.json')), ...readdirSync(join(root, 'examples')).map((name) => join(root, 'examples', name, 'package.json'))];
  for (const path of manifests) {
    let manifest;
    try {
      manifest = readJson(path);
    } catch {
      continue;
    }
    const before = JSON.stringify(manifest, null, 2);
    if (path.includes('/packages/')) {
      // Where the project lives and its license are also stated once, in the root package.json.
      Object.assign(manifest, { version: rootVersion, license, homepage, bugs });
      manifest.repository = { ...repository, directory: relative(root, join(path, '..')) };
    }
    for (const field of ['dependencies', 'peerDependencies', 'devDependencies']) {
      for (const name of Object.keys(manifest[field] ?? {})) {
        if (name.startsWith('@sluice/')) manifest[field][name] = path.includes('/examples/') ? rootVersion : `^${rootVersion}`;
      }
    }
    const after = JSON.stringify(manifest, null, 2);
    if (after !== before) writeFileSync(path, `${after}\n`);
  }
  return rootVersion;
}

for (const pkg of packages) {
  const src = join(root, 'packages', pkg, 'src');
  const dist = join(root, 'packages', pkg, 'dist');
  rmSync(dist, { recursive: true, force: true });
  const files = walk(src);
  const sources = files.filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'));
  // The SDK is imported as a whole (by every pipeline.ts and by the CLI at start): each of its entry
  // points is one file. `@sluice/sdk` (index.js) only re-exports the DSL part of `@sluice/sdk/ir`
  // (internal.js), so a user's pipeline and the compiler share one module. The other packages keep
  // one file per module.
  const bundled = pkg === 'sdk';
  await build({
    entryPoints: bundled ? [join(src, 'index.ts'), join(src, 'internal.ts'), join(src, 'schema.ts')] : sources,
    outdir: dist,
    outbase: src,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    bundle: bundled,
    ...(bundled ? { packages: 'external', plugins: [keepExternal('./internal.js')] } : {}),
    sourcemap: false,
    define,
    logLevel: 'warning',
  });
  for (const asset of files.filter((f) => !f.endsWith('.ts'))) {
    cpSync(asset, join(dist, relative(src, asset)));
    // Templates are also precompiled, so the CLI loads only handlebars' small runtime.
    if (asset.endsWith('.hbs')) writeFileSync(join(dist, `${relative(src, asset)}.cjs`), `module.exports = ${precompile(asset)};\n`);
  }
}

if (withTypes) {
  // The native TypeScript compiler (typescript 7) emits the declarations of all three packages in one
  // process, in dependency order (project references); --force because dist/ was just emptied.
  const tsc = join(createRequire(import.meta.url).resolve('typescript/package.json'), '../bin/tsc');
  execFileSync(process.execPath, [tsc, '-b', '--force', join(root, 'packages/compiler/tsconfig.build.json')], { stdio: 'inherit' });
}

/** Leaves one relative import of a bundled entry as it is (another entry of the same package). */
function keepExternal(specifier) {
  return {
    name: 'keep-external',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: new RegExp(`^${specifier.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`) }, (args) => (args.kind === 'entry-point' ? undefined : { path: specifier, external: true }));
    },
  };
}

function precompile(path) {
  return Handlebars.precompile(readFileSync(path, 'utf8'), { noEscape: true, strict: true });
}

const irShapeModule = await generateIrShapeCheck();
// The registry's target names as a literal for the CLI's help (compiler/src/target-names.ts).
const { TARGET_NAMES } = await import(pathToFileURL(join(root, 'packages/targets/dist/registry.js')).href);
const targetNamesModule = `export const TARGET_NAMES = ${JSON.stringify(TARGET_NAMES)};\n`;
writeFileSync(join(root, 'packages/compiler/dist/ir-shape.js'), irShapeModule);
await bundleCli();
await captureStaticOutput();

/**
 * `sluice --help` and `sluice --version` print only text fixed at build time, so bin/sluice.js
 * prints the capture of the bundle's own output (test/compile-path.test.ts compares the two) and
 * loads no code for them.
 */
async function captureStaticOutput() {
  const { main } = await import(pathToFileURL(join(root, 'packages/compiler/dist/cli/sluice.js')).href);
  const capture = async (args) => {
    let out = '';
    const code = await main(args, { stdout: (text) => (out += text), stderr: (text) => (out += text), cwd: root });
    if (code !== 0) throw new Error(`sluice ${args.join(' ')} exited ${code}`);
    return out;
  };
  const output = { help: await capture(['--help']), version: await capture(['--version']) };
  writeFileSync(join(root, 'packages/compiler/dist/cli/static-output.json'), `${JSON.stringify(output, null, 2)}\n`);
}

/**
 * The IR's zod schema costs more to load than a whole compile. The compile path first asks a
 * validator generated here from that same schema (zod -> JSON Schema -> ajv's standalone code, with
 * no runtime dependency); only when it says no does zod load, to say exactly what is wrong.
 * `unrepresentable: 'throw'` makes the build fail if the schema ever holds a check JSON Schema cannot
 * express, so "the generated validator accepts" always implies "zod accepts".
 */
async function generateIrShapeCheck() {
  const { z } = await import('zod');
  const { Ajv2020 } = await import('ajv/dist/2020.js');
  const standaloneCode = (await import('ajv/dist/standalone/index.js')).default.default;
  const irModule = await build({ entryPoints: [join(root, 'packages/sdk/src/ir.ts')], bundle: true, write: false, format: 'esm', platform: 'node', external: ['zod'], logLevel: 'warning' });
  const tempDir = mkdtempSync(join(root, 'node_modules/.sluice-build-'));
  try {
    const irPath = join(tempDir, 'ir.mjs');
    writeFileSync(irPath, irModule.outputFiles[0].text);
    const { irSchema } = await import(pathToFileURL(irPath).href);
    const jsonSchema = z.toJSONSchema(irSchema, { unrepresentable: 'throw', io: 'input', reused: 'ref' });
    const ajv = new Ajv2020({ code: { source: true, esm: true }, strict: true, allowUnionTypes: true, allErrors: false, inlineRefs: false });
    const standalone = standaloneCode(ajv, ajv.compile(jsonSchema));
    const entry = join(tempDir, 'ir-shape.mjs');
    writeFileSync(entry, `${standalone}\nexport const irShapeCheck = (ir) => validate(ir) === true;\n`);
    const bundled = await build({ entryPoints: [entry], bundle: true, write: false, format: 'esm', platform: 'node', target: 'node20', minify: true, legalComments: 'none', logLevel: 'warning' });
    return `// Generated by scripts/build.mjs from the IR's zod schema (see generateIrShapeCheck there).\n${bundled.outputFiles[0].text}`;
  } finally {
    rmSync(tempDir, { recursive: true, force: true });
  }
}

/**
 * The CLI as one file. @sluice/sdk stays outside: it is the user's own SDK (a peer dependency), the
 * one their pipeline.ts imports. esbuild (native binary) and ts-morph (optional) cannot be bundled.
 */
async function bundleCli() {
  const compiler = join(root, 'packages/compiler');
  await build({
    // Split: `sluice --help` reads only the command declarations (and commander); each command's
    // code, and the compiler, targets and SDK behind it, sits in chunks that load when it runs.
    entryPoints: { sluice: join(compiler, 'src/cli.ts') },
    outdir: join(compiler, 'dist/cli'),
    bundle: true,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    minifyWhitespace: true,
    minifySyntax: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    define,
    external: ['@sluice/sdk', '@sluice/sdk/*', 'esbuild', 'ts-morph'],
    // The targets are bundled from their sources (the plugins below read those).
    // yaml's ESM build (its `browser` files: the same code as ES modules), because a split bundle
    // cannot give `await import()` of a CommonJS module its named exports.
    alias: { '@sluice/targets': join(root, 'packages/targets/src/index.ts'), yaml: join(createRequire(import.meta.url).resolve('yaml/package.json'), '../browser/index.js') },
    // Bundled CommonJS (commander, diff, handlebars' runtime) requires Node's built-ins.
    banner: { js: "import { createRequire as __sluiceCreateRequire } from 'node:module';\nconst require = __sluiceCreateRequire(import.meta.url);" },
    legalComments: 'eof',
    logLevel: 'warning',
    plugins: [precompiledTemplatePlugin(), inlineAssetsPlugin(), generatedModulePlugin('ir-shape.ts', irShapeModule), generatedModulePlugin('target-names.ts', targetNamesModule), requireEsbuildPlugin()],
  });
}

/**
 * The bash runner (shared/runner.ts, used by the entrypoint and GitLab targets) finds its precompiled
 * template (and handlebars' runtime) with a runtime require beside itself, which a bundle cannot
 * follow. In the bundle both become imports: the template's spec is compiled in here. If the emitter stops matching, the build fails, loudly.
 */
function precompiledTemplatePlugin() {
  const templateRequire = "require('./runner.sh.hbs.cjs')";
  const runtimeRequire = "require('handlebars/runtime')";
  return {
    name: 'sluice-precompiled-template',
    setup(pluginBuild) {
      pluginBuild.onLoad({ filter: /[\\/]targets[\\/]src[\\/]shared[\\/]runner\.ts$/ }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        if (!source.includes(templateRequire) || !source.includes(runtimeRequire)) {
          return { errors: [{ text: `${args.path} no longer loads its template with ${templateRequire} and ${runtimeRequire}; update scripts/build.mjs.` }] };
        }
        const spec = precompile(join(args.path, '../runner.sh.hbs'));
        const contents = [
          "import __sluiceHandlebarsRuntime from 'handlebars/runtime';",
          inlineAssets(source.replace(templateRequire, `(${spec})`).replace(runtimeRequire, '__sluiceHandlebarsRuntime'), join(args.path, '..')),
        ].join('\n');
        return { contents, loader: 'ts', resolveDir: join(args.path, '..') };
      });
    },
  };
}

/**
 * Files a module reads beside itself (`readFileSync(new URL('./notify_slack.py', import.meta.url),
 * 'utf8')`) would be looked for beside the bundle; in the bundle their text is inlined instead.
 */
function inlineAssets(source, dir) {
  return source.replace(/readFileSync\(new URL\('\.\/([\w.-]+)', import\.meta\.url\), 'utf8'\)/g, (_, name) => JSON.stringify(readFileSync(join(dir, name), 'utf8')));
}

function inlineAssetsPlugin() {
  return {
    name: 'sluice-inline-assets',
    setup(pluginBuild) {
      pluginBuild.onLoad({ filter: /[\\/]packages[\\/]targets[\\/]src[\\/].*\.ts$/ }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        if (!source.includes('import.meta.url')) return undefined;
        return { contents: inlineAssets(source, join(args.path, '..')), loader: 'ts', resolveDir: join(args.path, '..') };
      });
    },
  };
}

/** Puts generated code in place of a source module (whose own body is the fallback for the sources). */
function generatedModulePlugin(fileName, contents) {
  return {
    name: `sluice-generated-${fileName}`,
    setup(pluginBuild) {
      pluginBuild.onLoad({ filter: new RegExp(`[\\\\/]compiler[\\\\/]src[\\\\/]${fileName.replace('.', '\\.')}$`) }, () => ({ contents, loader: 'js' }));
    },
  };
}

/**
 * esbuild's JavaScript API is CommonJS: `import('esbuild')` from ESM makes Node scan its whole
 * source for export names first (cjs-module-lexer, ~10 ms on a cold start). In the bundle the loader
 * requires it instead.
 */
function requireEsbuildPlugin() {
  const dynamicImport = "await import('esbuild')";
  return {
    name: 'sluice-require-esbuild',
    setup(pluginBuild) {
      pluginBuild.onLoad({ filter: /[\\/]compiler[\\/]src[\\/]loader\.ts$/ }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        if (!source.includes(dynamicImport)) return { errors: [{ text: `${args.path} no longer loads esbuild with ${dynamicImport}; update scripts/build.mjs.` }] };
        return { contents: source.replace(dynamicImport, "(require('esbuild') as typeof import('esbuild'))"), loader: 'ts', resolveDir: join(args.path, '..') };
      });
    },
  };
}
