// Preload (node --import) that records every module the process resolves, ESM and CommonJS, into
// the file named by SLUICE_MODULE_LOG. Used to prove what the compile path does not load.
import { appendFileSync } from 'node:fs';
import Module, { register } from 'node:module';

register(new URL('./record-modules-hooks.mjs', import.meta.url));
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (...args) {
  const resolved = resolveFilename.apply(this, args);
  appendFileSync(process.env.SLUICE_MODULE_LOG, `${resolved}\n`);
  return resolved;
};
