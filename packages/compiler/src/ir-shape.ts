/**
 * A fast first look at the IR's shape, so the default compile path need not load zod (whose schema
 * costs more to load than a whole compile). The build puts a validator generated from the IR's zod
 * schema in place of this module (scripts/build.mjs, generateIrShapeCheck); only its "yes" is
 * trusted: on "no", the zod schema runs and says exactly what is wrong. From the sources (the unit
 * tests) there is no generated validator, so zod always runs there.
 */
export const irShapeCheck: ((ir: unknown) => boolean) | undefined = undefined;
