/**
 * The type of sluice.config.ts, checked at run time (rule "config types"): a config is plain data
 * written by a person, and `description: 42` or `runsOn: ['a']` must be a coded error, not a crash
 * deep in an emitter. Objects are loose (an unknown key is kept, and its strings are still checked)
 * so a config written for a newer Sluice still loads; known keys are typed strictly.
 */
import { TARGET_NAMES, TARGET_REGISTRY } from '@sluice/targets';
import { z } from 'zod';

const text = z.string();
const targetName = z.enum(TARGET_NAMES);

export const configSchema = z.looseObject({
  entry: text.optional(),
  target: z.union([targetName, z.array(targetName).min(1)]).optional(),
  dbtProjectDir: text.optional(),
  pipelinesMarkdown: text.optional(),
  /** Seconds pipeline.ts may take to evaluate (module and `steps`). */
  evaluationTimeoutSeconds: z.number().positive().max(600).optional(),
  /** The dbt version the runtime installs (`1.9.4`); otherwise learnt from requirements or the image tag. */
  dbtVersion: z.string().regex(/^\d+\.\d+(\.\d+)?$/, 'expected a dbt version such as 1.9 or 1.9.4').optional(),
  // Each target's settings schema lives in its folder and is listed by the registry.
  targets: z.looseObject(Object.fromEntries(TARGET_NAMES.map((name) => [name, TARGET_REGISTRY[name].optionsSchema.optional()]))).optional(),
});
