// The Argo target's settings as users write them (`targets.argo` in sluice.config.ts). Plain
// TypeScript without imports: scripts/generate-target-config.mjs copies what follows these comment
// lines into the SDK (packages/sdk/src/dsl/target-config.generated.ts), and the zod schema in
// options.ts must accept exactly these settings (packages/targets/test/config-types.test.ts).
/** Settings of the Argo Workflows target. Everything cluster-specific lives here, not in pipeline.ts. */
export interface ArgoTargetConfig {
  /** Where manifests are written, one file per pipeline. @default 'argo' */
  dir?: string;
  /** The image every step runs in: dbt, its adapter, bash and python3. Pin a tag or a digest. */
  image?: string;
  /** @default 'IfNotPresent' */
  imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  imagePullSecrets?: readonly string[];
  /** metadata.namespace of every object. @default none (the namespace you apply into) */
  namespace?: string;
  /** The pods' service account; never `default`. @default 'sluice-runner' */
  serviceAccountName?: string;
  /** The service account of Argo's executor (pods themselves get no token). @default serviceAccountName */
  executorServiceAccountName?: string;
  /** Where the dbt project comes from: baked into the image at a path, or a git checkout. @default { image: '/app' } */
  source?: { image: string } | { git: { repo: string; revision?: string } };
  /** The volume that carries files between steps (target/, the docs site). */
  workspace?: { size?: string; storageClassName?: string };
  /** Non-zero UID the steps run as. @default 1000 */
  runAsUser?: number;
  /** @default requests cpu 500m, memory 1Gi; limits memory 2Gi */
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  /** The Kubernetes Secret holding each Sluice secret, under the secret's name as key. @default 'sluice-secrets' */
  secretName?: string;
  /** Per-secret overrides: `{ SNOWFLAKE_PASSWORD: { name: 'warehouse', key: 'password' } }`. */
  secrets?: Record<string, { name: string; key: string }>;
  /** Argo UI base URL, for links in notifications. */
  uiUrl?: string;
  /**
   * Pull-request and push triggers need Argo Events. 'refuse' (default) makes them a compile error;
   * 'ignore' emits the pipeline without them (submit it yourself or from your own Sensor).
   */
  eventTriggers?: 'refuse' | 'ignore';
  /**
   * The way out for settings Sluice does not model yet: receives a copy of each generated object
   * (WorkflowTemplate, CronWorkflow) and returns the one to write, as plain data. The result is
   * checked again: same kind and name, the restricted Pod Security Standard for every container,
   * no service account token, secrets only via secretKeyRef, no new `{{...}}` reading parameters,
   * and Argo's schema.
   */
  override?: (object: Record<string, unknown>, context: { pipeline: string; kind: string }) => Record<string, unknown>;
}
