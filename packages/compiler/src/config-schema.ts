/**
 * The type of sluice.config.ts, checked at run time (rule "config types"): a config is plain data
 * written by a person, and `description: 42` or `runsOn: ['a']` must be a coded error, not a crash
 * deep in an emitter. Objects are loose (an unknown key is kept, and its strings are still checked)
 * so a config written for a newer Sluice still loads; known keys are typed strictly.
 */
import { z } from 'zod';

const text = z.string();
const targetName = z.enum(['github', 'argo', 'entrypoint']);
const override = z.custom<(...args: unknown[]) => unknown>((value) => typeof value === 'function', { message: 'expected a function' });

export const configSchema = z.looseObject({
  entry: text.optional(),
  target: z.union([targetName, z.array(targetName).min(1)]).optional(),
  dbtProjectDir: text.optional(),
  pipelinesMarkdown: text.optional(),
  /** Seconds pipeline.ts may take to evaluate (module and `steps`). */
  evaluationTimeoutSeconds: z.number().positive().max(600).optional(),
  /** The dbt version the runtime installs (`1.9.4`); otherwise learnt from requirements or the image tag. */
  dbtVersion: z.string().regex(/^\d+\.\d+(\.\d+)?$/, 'expected a dbt version such as 1.9 or 1.9.4').optional(),
  targets: z
    .looseObject({
      github: z
        .looseObject({
          dir: text.optional(),
          runsOn: text.optional(),
          scheduleTimezones: z.boolean().optional(),
          override: override.optional(),
        })
        .optional(),
      entrypoint: z.looseObject({ path: text.optional() }).optional(),
      argo: z
        .looseObject({
          dir: text.optional(),
          image: text.optional(),
          imagePullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']).optional(),
          imagePullSecrets: z.array(text).optional(),
          namespace: text.optional(),
          serviceAccountName: text.optional(),
          executorServiceAccountName: text.optional(),
          source: z.union([z.looseObject({ image: text }), z.looseObject({ git: z.looseObject({ repo: text, revision: text.optional() }) })]).optional(),
          workspace: z.looseObject({ size: text.optional(), storageClassName: text.optional() }).optional(),
          runAsUser: z.number().int().positive().optional(),
          resources: z.looseObject({ requests: z.record(z.string(), text).optional(), limits: z.record(z.string(), text).optional() }).optional(),
          secretName: text.optional(),
          secrets: z.record(z.string(), z.looseObject({ name: text, key: text })).optional(),
          uiUrl: text.optional(),
          eventTriggers: z.enum(['refuse', 'ignore']).optional(),
          override: override.optional(),
        })
        .optional(),
    })
    .optional(),
});
