// The GitHub target's settings as users write them (`targets.github` in sluice.config.ts). Plain
// TypeScript without imports: scripts/generate-target-config.mjs copies what follows these comment
// lines into the SDK (packages/sdk/src/dsl/target-config.generated.ts), and the zod schema in
// options.ts must accept exactly these settings (packages/targets/test/config-types.test.ts).
/** Settings of the GitHub Actions target. */
export interface GithubTargetConfig {
  /** Where workflows are written, relative to the project root. @default '.github/workflows' */
  dir?: string;
  /** `runs-on` label. @default 'ubuntu-24.04' */
  runsOn?: string;
  /**
   * Emit GitHub's `timezone` key for schedules with a time zone. GitHub supports it; actionlint
   * 1.7.7 does not know it yet, so it is opt-in. Without it, a non-UTC schedule is a compile error.
   * @default false
   */
  scheduleTimezones?: boolean;
  /**
   * The way out for settings Sluice does not model yet: receives each generated workflow (plain
   * data) and returns the one to write. The result is still checked: no `${{ }}` inside `run:`,
   * every action pinned to a full commit SHA.
   */
  override?: (workflow: Record<string, unknown>, context: { pipeline: string }) => Record<string, unknown>;
}
