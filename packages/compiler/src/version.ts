/** Set at build time from the root package.json (scripts/build.mjs; vitest.config.ts for the sources). */
declare const __SLUICE_VERSION__: string;

/** This release of Sluice: every @sluice package carries the same version. */
export const SLUICE_VERSION: string = __SLUICE_VERSION__;
