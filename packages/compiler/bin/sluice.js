#!/usr/bin/env node
// Node 22.1+ can keep V8's compiled code on disk between runs (a faster cold start); Node 20 has no
// module.enableCompileCache, and NODE_DISABLE_COMPILE_CACHE=1 turns it off.
import module from 'node:module';

module.enableCompileCache?.();
const { main } = await import('../dist/cli/sluice.js');
process.exitCode = await main(process.argv.slice(2));
