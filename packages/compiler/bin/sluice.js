#!/usr/bin/env node
import module from 'node:module';

const args = process.argv.slice(2);
const staticOutput = { '--help': 'help', '-h': 'help', '--version': 'version', '-V': 'version' };
if (args.length === 1 && Object.hasOwn(staticOutput, args[0])) {
  // The build captured this output from the CLI itself (scripts/build.mjs, captureStaticOutput).
  const { readFileSync } = await import('node:fs');
  const output = JSON.parse(readFileSync(new URL('../dist/cli/static-output.json', import.meta.url), 'utf8'));
  process.stdout.write(output[staticOutput[args[0]]]);
} else {
  // Node 22.1+ keeps V8's compiled code on disk between runs (a faster cold start); Node 20 has no
  // module.enableCompileCache, and NODE_DISABLE_COMPILE_CACHE=1 turns it off.
  module.enableCompileCache?.();
  const { main } = await import('../dist/cli/sluice.js');
  process.exitCode = await main(args);
}
