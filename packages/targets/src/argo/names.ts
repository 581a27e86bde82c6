/**
 * Kubernetes and Argo names, decided here rather than left to the cluster to reject:
 * DNS-1123 labels (lower-case alphanumerics and `-`, at most 63 characters), CronWorkflow names at
 * most 52 (the controller appends a timestamp), task and template names from the same alphabet.
 * Sanitising is deterministic; a name that had to be shortened keeps a short hash of the original.
 */
import { createHash } from 'node:crypto';

export const MAX_NAME = 63;
export const MAX_CRON_NAME = 52;

export function dnsLabel(raw: string, max = MAX_NAME): string {
  const cleaned = raw
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  const base = cleaned === '' ? 'x' : cleaned;
  if (base.length <= max) return base;
  const hash = createHash('sha256').update(raw).digest('hex').slice(0, 6);
  return `${base.slice(0, max - hash.length - 1).replace(/-$/, '')}-${hash}`;
}
