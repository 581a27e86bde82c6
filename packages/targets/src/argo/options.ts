/** The Argo target's settings, checked at run time (config rule "config types"). */
import { z } from 'zod';
import { overrideFunction } from '../shared/options.js';

const text = z.string();

export const ARGO_DEFAULTS = {
  dir: 'argo',
  serviceAccountName: 'sluice-runner',
  secretName: 'sluice-secrets',
  imagePullPolicy: 'IfNotPresent',
  source: { image: '/app' },
  runAsUser: 1000,
  workspaceSize: '2Gi',
  resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '2Gi' } },
} as const;

export const argoOptionsSchema = z.looseObject({
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
  override: overrideFunction.optional(),
});
