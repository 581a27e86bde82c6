/**
 * The target names `--target` offers in the CLI's help. From the sources this is the registry's
 * list; the CLI bundle gets the same list as a literal (scripts/build.mjs, targetNamesModule), so
 * `sluice compile --help` loads no target and no zod (test/compile-path.test.ts).
 */
export { TARGET_NAMES } from '@sluice/targets';
