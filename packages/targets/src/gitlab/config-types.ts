// The GitLab target's settings as users write them (`targets.gitlab` in sluice.config.ts). Plain
// TypeScript without imports: scripts/generate-target-config.mjs copies what follows these comment
// lines into the SDK (packages/sdk/src/dsl/target-config.generated.ts), and the zod schema in
// options.ts must accept exactly these settings (packages/targets/test/config-types.test.ts).
/** Settings of the GitLab CI/CD target (docs: README, "GitLab CI/CD"). */
export interface GitlabTargetConfig {
  /** Sluice's own CI file, included from `.gitlab-ci.yml` with one `include: local` line. @default '.gitlab/sluice.yml' */
  path?: string;
  /** The image the job runs in when the pipeline uses `runtime.python(...)`. @default 'python:<version>' */
  pythonImage?: string;
  /** The stage of Sluice's jobs: must be one of your `stages:` if `.gitlab-ci.yml` declares them. @default 'test' */
  stage?: string;
  /** Runner tags for Sluice's jobs. @default none */
  tags?: readonly string[];
  /** How long dbt's `target/` is kept as a job artifact (GitLab duration). @default '30 days' */
  artifactsExpireIn?: string;
  /** The ID token's audience for AWS: your GitLab instance URL, as registered in IAM. @default 'https://gitlab.com' */
  oidcAudience?: string;
}
