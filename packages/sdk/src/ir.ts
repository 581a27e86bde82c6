/**
 * The Sluice IR: the neutral, serialisable model every target emits from.
 *
 * Plain data only: no target syntax (no `${{ }}`, no `{{ }}`, no bash) and no DSL objects. The zod
 * schema is the contract; the TypeScript types are inferred from it so they cannot drift apart.
 */
import { z } from 'zod';
import { IR_VERSION } from './version.js';

const sourceLocationSchema = z.object({
  file: z.string(),
  line: z.number().int().positive(),
  column: z.number().int().positive(),
});

/** A value that reaches a command or the environment: a literal, a secret, or a pipeline input. */
const valueSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('literal'), value: z.string() }),
  z.object({ kind: z.literal('secret'), name: z.string() }),
  z.object({ kind: z.literal('input'), name: z.string() }),
]);

/**
 * One element of a command line. `input` places the input's value as one argument (after `flag`
 * when given, and then only when the value is non-empty); `switch` places `flag` when a boolean
 * input is true. Values always travel as data: each target passes them through the environment.
 */
export type Arg =
  | { kind: 'literal'; value: string }
  | { kind: 'input'; name: string; flag?: string | undefined; validate?: 'selector' | 'node' | undefined; before?: string | undefined; after?: string | undefined }
  | { kind: 'switch'; name: string; flag: string }
  | { kind: 'whenFile'; path: string; then: Arg[]; otherwise: Arg[]; notice: string; absent?: 'skip' | 'fail' | undefined };

/**
 * `whenFile` chooses arguments at run time by whether a file exists (slim CI: defer to the
 * production manifest when there is one, else run `otherwise` and say so in `notice`; with `absent`,
 * succeed (`skip`) or fail (`fail`) without running anything). An `input` with `before`/`after` is
 * one argument: the literals around the value (`selector.children(inputs.model)`: after `+`);
 * `validate: 'node'` requires the value to be one node name.
 */
const argSchema: z.ZodType<Arg> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('literal'), value: z.string() }),
    z.object({ kind: z.literal('input'), name: z.string(), flag: z.string().optional(), validate: z.enum(['selector', 'node']).optional(), before: z.string().optional(), after: z.string().optional() }),
    z.object({ kind: z.literal('switch'), name: z.string(), flag: z.string() }),
    z.object({ kind: z.literal('whenFile'), path: z.string(), then: z.array(argSchema), otherwise: z.array(argSchema), notice: z.string(), absent: z.enum(['skip', 'fail']).optional() }),
  ]),
);

/**
 * Where dbt state is kept between runs: what, not how (each target loads and saves it with its own
 * means: CLI calls, actions). `url`: a bucket URL with a prefix and no trailing slash. A GitHub
 * artifact is named by the pipeline that saves it and the branch whose runs hold it (absent: the
 * repository's default branch); only GitHub Actions can reach it.
 */
const stateStoreSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('s3'), url: z.string() }),
  z.object({ kind: z.literal('gcs'), url: z.string() }),
  z.object({ kind: z.literal('github-artifact'), pipeline: z.string(), branch: z.string().optional() }),
]);

/**
 * Where a file or directory is published. s3/gcs: `url` is the object (a file) or the prefix (a
 * directory), already complete. `pages`: the repository's Pages site (GitHub Pages on GitHub Actions,
 * GitLab Pages on GitLab CI/CD; other engines refuse it); `publishAs` names a single file
 * there (absent: the file's own name).
 */
const publishDestinationSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('s3'), url: z.string() }),
  z.object({ kind: z.literal('gcs'), url: z.string() }),
  z.object({ kind: z.literal('pages'), publishAs: z.string().optional() }),
]);

const commandSchema = z.discriminatedUnion('kind', [
  /** A program and its arguments, never re-parsed by a shell. */
  z.object({ kind: z.literal('argv'), argv: z.array(argSchema).min(1) }),
  /** A bash script the user wrote on purpose (`shell.script`). Inputs reach it only as env vars. */
  z.object({ kind: z.literal('script'), script: z.string() }),
  /** A Slack message about the run, built as JSON by the runtime helper. */
  z.object({ kind: z.literal('notify-slack'), webhookSecret: z.string() }),
  /** The same run summary as a Microsoft Teams Adaptive Card (Workflows or incoming webhook). */
  z.object({ kind: z.literal('notify-teams'), webhookSecret: z.string() }),
  /** The run summary as JSON (`sluice.notification/v1`) POSTed to any endpoint. */
  z.object({ kind: z.literal('notify-webhook'), urlSecret: z.string() }),
  /** The run summary as a plain-text email over SMTP. */
  z.object({
    kind: z.literal('notify-email'),
    host: z.string(),
    port: z.number().int(),
    security: z.enum(['starttls', 'tls', 'none']),
    usernameSecret: z.string().optional(),
    passwordSecret: z.string().optional(),
    from: z.string(),
    to: z.array(z.string()),
  }),
  /** Loads a saved set of dbt state (manifest.json, run_results.json) into `dir` (see the note above `stateStoreSchema`). */
  z.object({ kind: z.literal('state-load'), store: stateStoreSchema, set: z.enum(['last-success', 'last-run']), dir: z.string() }),
  /**
   * Saves the dbt state left in `from` (a dbt step's target directory, relative to the dbt project):
   * the last run's set always, the last-success set only after a fully successful build (GitHub
   * artifacts keep the last-success set only). `from` absent: no dbt step was named (a validation error).
   */
  z.object({ kind: z.literal('state-save'), store: stateStoreSchema, from: z.string().optional() }),
  /** Publishes a file or directory (`path`, relative to the dbt project) to `destination`. */
  z.object({ kind: z.literal('publish'), destination: publishDestinationSchema, path: z.string(), isDirectory: z.boolean() }),
]);

const stepStatusSchema = z.enum(['succeeded', 'failed', 'skipped', 'cancelled']);

export type Condition =
  | { op: 'success' }
  | { op: 'failure' }
  | { op: 'always' }
  | { op: 'status'; step: string; status: 'succeeded' | 'failed' | 'skipped' }
  | { op: 'and'; args: Condition[] }
  | { op: 'or'; args: Condition[] }
  | { op: 'not'; arg: Condition };

const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.discriminatedUnion('op', [
    z.object({ op: z.literal('success') }),
    z.object({ op: z.literal('failure') }),
    z.object({ op: z.literal('always') }),
    z.object({
      op: z.literal('status'),
      step: z.string(),
      status: z.enum(['succeeded', 'failed', 'skipped']),
    }),
    z.object({ op: z.literal('and'), args: z.array(conditionSchema).min(1) }),
    z.object({ op: z.literal('or'), args: z.array(conditionSchema).min(1) }),
    z.object({ op: z.literal('not'), arg: conditionSchema }),
  ]),
);

const envVarSchema = z.object({ name: z.string(), value: valueSchema });

const artifactSchema = z.object({
  /** Name unique within the producing step, e.g. `site`. */
  name: z.string(),
  /** Path relative to the dbt project directory. */
  path: z.string(),
});

const artifactRefSchema = z.object({ step: z.string(), name: z.string() });

const stepSchema = z.object({
  id: z.string(),
  /** What the step is, for people: `dbt build`, `upload s3`, `notify slack`, `shell`. */
  label: z.string(),
  source: sourceLocationSchema.optional(),
  command: commandSchema,
  env: z.array(envVarSchema),
  needs: z.array(z.string()),
  condition: conditionSchema,
  retries: z.number().int().min(0),
  timeoutMinutes: z.number().int().positive().optional(),
  allowFailure: z.boolean(),
  produces: z.array(artifactSchema),
  consumes: z.array(artifactRefSchema),
});

const inputSchema = z.object({
  name: z.string(),
  type: z.enum(['string', 'boolean', 'number', 'choice']),
  description: z.string().optional(),
  required: z.boolean(),
  default: z.union([z.string(), z.boolean(), z.number()]).optional(),
  options: z.array(z.string()).optional(),
});

const triggerSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('schedule'),
    cron: z.string(),
    timezone: z.string().optional(),
    source: sourceLocationSchema.optional(),
  }),
  z.object({ kind: z.literal('manual'), source: sourceLocationSchema.optional() }),
  z.object({
    kind: z.literal('pullRequest'),
    branches: z.array(z.string()),
    paths: z.array(z.string()),
    source: sourceLocationSchema.optional(),
  }),
  z.object({
    kind: z.literal('push'),
    branches: z.array(z.string()),
    paths: z.array(z.string()),
    source: sourceLocationSchema.optional(),
  }),
]);

const runtimeSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('python'),
    version: z.string(),
    requirements: z.string().optional(),
    /** Run `dbt deps` before the steps (set when the project has a `packages.yml`). */
    dbtDeps: z.boolean(),
  }),
  z.object({
    kind: z.literal('image'),
    image: z.string(),
    /** How the engine logs in to the registry: account secrets, or the job's own token (GHCR). */
    credentials: z
      .discriminatedUnion('kind', [
        z.object({ kind: z.literal('account'), username: valueSchema, password: valueSchema }),
        z.object({ kind: z.literal('github-token') }),
      ])
      .optional(),
    dbtDeps: z.boolean(),
  }),
]);

/** Short-lived cloud credentials the engine obtains for the run (GitHub OIDC, a Kubernetes service account). */
const cloudSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('aws'), roleToAssume: z.string(), region: z.string() }),
  z.object({ kind: z.literal('gcp'), workloadIdentityProvider: z.string(), serviceAccount: z.string() }),
]);

const pipelineSchema = z.object({
  name: z.string(),
  description: z.string().optional(),
  source: sourceLocationSchema.optional(),
  triggers: z.array(triggerSchema),
  inputs: z.array(inputSchema),
  env: z.array(envVarSchema),
  runtime: runtimeSchema,
  cloud: cloudSchema.optional(),
  concurrency: z.object({ group: z.string().optional(), cancelInProgress: z.boolean() }),
  timeoutMinutes: z.number().int().positive(),
  /** The targets this pipeline is for; absent: every target of the config. Others skip it and say so. */
  targets: z.array(z.string()).optional(),
  steps: z.array(stepSchema),
});

export const irSchema = z.object({
  irVersion: z.literal(IR_VERSION),
  /** The pipeline file, relative to the project root, for headers and messages. */
  source: z.string(),
  /** The dbt project directory, relative to the project root. */
  dbtProjectDir: z.string(),
  pipelines: z.array(pipelineSchema),
});

export type SourceLocation = z.infer<typeof sourceLocationSchema>;
export type Value = z.infer<typeof valueSchema>;
export type Command = z.infer<typeof commandSchema>;
export type StateStoreIR = z.infer<typeof stateStoreSchema>;
export type PublishDestinationIR = z.infer<typeof publishDestinationSchema>;
export type StepStatus = z.infer<typeof stepStatusSchema>;
export type EnvVar = z.infer<typeof envVarSchema>;
export type StepIR = z.infer<typeof stepSchema>;
export type InputIR = z.infer<typeof inputSchema>;
export type TriggerIR = z.infer<typeof triggerSchema>;
export type RuntimeIR = z.infer<typeof runtimeSchema>;
export type RegistryCredentialsIR = NonNullable<Extract<RuntimeIR, { kind: 'image' }>['credentials']>;
export type PipelineIR = z.infer<typeof pipelineSchema>;
export type SluiceIR = z.infer<typeof irSchema>;
export type RunResult = 'succeeded' | 'failed' | 'cancelled';
