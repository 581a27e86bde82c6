// Transpiles every package's src/ into dist/ (one file in, one file out, so lazy imports stay lazy),
// copies the non-TypeScript assets (templates, runtime helpers) beside them, and precompiles the
// handlebars templates.
// Runs from `npm install` (prepare) so a fresh clone needs no manual build step.
import { build } from 'esbuild';
import Handlebars from 'handlebars';
import { cpSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const packages = ['sdk', 'targets', 'compiler'];

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

for (const pkg of packages) {
  const src = join(root, 'packages', pkg, 'src');
  const dist = join(root, 'packages', pkg, 'dist');
  rmSync(dist, { recursive: true, force: true });
  const files = walk(src);
  const sources = files.filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'));
  await build({
    entryPoints: sources,
    outdir: dist,
    outbase: src,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    bundle: false,
    sourcemap: false,
    logLevel: 'warning',
  });
  for (const asset of files.filter((f) => !f.endsWith('.ts'))) {
    cpSync(asset, join(dist, relative(src, asset)));
    // Templates are also precompiled, so the CLI loads only handlebars' small runtime.
    if (asset.endsWith('.hbs')) {
      const spec = Handlebars.precompile(readFileSync(asset, 'utf8'), { noEscape: true, strict: true });
      writeFileSync(join(dist, `${relative(src, asset)}.cjs`), `module.exports = ${spec};\n`);
    }
  }
}
