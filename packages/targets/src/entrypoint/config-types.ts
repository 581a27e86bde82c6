// The entrypoint target's settings as users write them (`targets.entrypoint` in sluice.config.ts). Plain
// TypeScript without imports: scripts/generate-target-config.mjs copies what follows these comment
// lines into the SDK (packages/sdk/src/dsl/target-config.generated.ts), and the zod schema in
// options.ts must accept exactly these settings (packages/targets/test/config-types.test.ts).
/** Settings of the container entrypoint target. */
export interface EntrypointTargetConfig {
  /** Where the script is written, relative to the project root. @default 'docker/entrypoint.sh' */
  path?: string;
}
