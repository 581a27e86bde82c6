import type { SourceLocation } from '../ir.js';
import { callSite } from '../location.js';
import { BRAND } from './brand.js';

export type Trigger =
  | { readonly [BRAND]: 'trigger'; readonly kind: 'schedule'; readonly cron: string; readonly timezone?: string; readonly location?: SourceLocation }
  | { readonly [BRAND]: 'trigger'; readonly kind: 'manual'; readonly location?: SourceLocation }
  | {
      readonly [BRAND]: 'trigger';
      readonly kind: 'pullRequest' | 'push';
      readonly branches: readonly string[];
      readonly paths: readonly string[];
      readonly location?: SourceLocation;
    };

export interface BranchFilter {
  /** Branch names or globs. @default every branch */
  branches?: readonly string[];
  /** Only when these paths change (globs). @default any path */
  paths?: readonly string[];
}

/** When a pipeline runs. */
export const trigger = {
  /**
   * On a cron schedule: five fields, minute hour day-of-month month day-of-week.
   * @param options.timezone IANA name, e.g. `Europe/Paris`. @default UTC
   */
  schedule(cron: string, options: { timezone?: string } = {}): Trigger {
    return { [BRAND]: 'trigger', kind: 'schedule', cron, ...(options.timezone ? { timezone: options.timezone } : {}), location: callSite(trigger.schedule) };
  },
  /** Started by hand, with the pipeline's `inputs` as a form. */
  manual(): Trigger {
    return { [BRAND]: 'trigger', kind: 'manual', location: callSite(trigger.manual) };
  },
  /** On every pull request (GitHub Actions; refused on engines without one). */
  pullRequest(filter: BranchFilter = {}): Trigger {
    return { [BRAND]: 'trigger', kind: 'pullRequest', branches: filter.branches ?? [], paths: filter.paths ?? [], location: callSite(trigger.pullRequest) };
  },
  /** On every push. */
  push(filter: BranchFilter = {}): Trigger {
    return { [BRAND]: 'trigger', kind: 'push', branches: filter.branches ?? [], paths: filter.paths ?? [], location: callSite(trigger.push) };
  },
};
