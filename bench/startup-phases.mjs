// Where a cold `sluice compile --check` spends its CPU, phase by phase, in one fresh process (run it
// several times; the machine's noise is in every figure). CPU of this process only: esbuild's own
// process (it bundles pipeline.ts) is reported by its wall time. Usage:
//   node bench/startup-phases.mjs [project dir, default examples/dbt-metric]
import module, { createRequire } from 'node:module';
import { join } from 'node:path';

// As bin/sluice.js does (Node 22+).
module.enableCompileCache?.();

const root = new URL('..', import.meta.url).pathname;
const cwd = process.argv[2] ?? join(root, 'examples/dbt-metric');
const compilerDist = join(root, 'packages/compiler/dist');
const phases = [];
let lastCpu = process.cpuUsage();
let lastWall = performance.now();
const mark = (name) => {
  const cpu = process.cpuUsage(lastCpu);
  const wall = performance.now();
  phases.push({ name, cpuMs: (cpu.user + cpu.system) / 1000, wallMs: wall - lastWall });
  lastCpu = process.cpuUsage();
  lastWall = performance.now();
};
const startup = process.cpuUsage();
phases.push({ name: 'node start-up, to the first line of this script', cpuMs: (startup.user + startup.system) / 1000, wallMs: performance.now() });
lastCpu = process.cpuUsage();
lastWall = performance.now();

await import('@sluice/sdk');
mark('load @sluice/sdk');
createRequire(import.meta.url)('esbuild');
mark("load esbuild's JavaScript API");
const { loadConfig } = await import(join(compilerDist, 'config.js'));
const { loadTypeScriptModule } = await import(join(compilerDist, 'loader.js'));
const { lower } = await import(join(compilerDist, 'lower.js'));
const { validate } = await import(join(compilerDist, 'validate.js'));
const { irShapeCheck } = await import(join(compilerDist, 'ir-shape.js'));
const { discoverPipelines, emitFor } = await import(join(compilerDist, 'compile.js'));
const { planChanges } = await import(join(compilerDist, 'output.js'));
mark('load the compiler modules');
const configResult = await loadConfig(cwd);
mark('load sluice.config.ts (esbuild service start + bundle + import)');
const config = configResult.config;
const loaded = await loadTypeScriptModule(config.root, join(config.root, config.entry));
mark('load pipeline.ts (esbuild bundle + import + source map)');
const { ir } = lower(discoverPipelines(loaded.module.exports), { source: config.entry, dbtProjectDir: config.dbtProjectDir, hasDbtPackages: true, mapLocation: loaded.module.mapLocation, locateError: loaded.module.locateError });
validate(ir, {});
mark('lower + validate');
if (!irShapeCheck(ir)) throw new Error('the IR check refused the example');
mark('IR check (generated)');
const files = [];
const outputDirs = [];
for (const target of [...config.targets]) {
  const result = await emitFor(ir, target, config);
  files.push(...result.files);
  outputDirs.push(...result.outputDirs);
  mark(`emit ${target} (loading the target included)`);
}
planChanges(config.root, files, outputDirs);
mark('compare with the files on disk');
const total = phases.reduce((sum, phase) => sum + phase.cpuMs, 0);
for (const phase of phases) console.log(`${phase.cpuMs.toFixed(1).padStart(7)} ms cpu ${phase.wallMs.toFixed(1).padStart(7)} ms wall  ${phase.name}`);
console.log(`${total.toFixed(1).padStart(7)} ms cpu in this process`);
