/** Rules about a pipeline as a whole: its name among the others, its steps and its triggers. */
import { DIAGNOSTIC_CODES } from '@sluice/sdk/ir';
import { cronProblem, isValidTimezone } from './cron.js';
import { printable, type Rule } from './rule.js';

export const duplicatePipeline: Rule = {
  code: DIAGNOSTIC_CODES.DUPLICATE_PIPELINE,
  tier: 'typed',
  *check(pipeline, { ir }) {
    // Reported at the second (and later) pipeline of a name.
    const first = ir.pipelines.find((other) => other.name === pipeline.name);
    if (first !== pipeline) yield { message: `Two pipelines are named '${pipeline.name}'.`, hint: 'Give each pipeline its own name: it names the generated files.' };
  },
};

export const emptyPipeline: Rule = {
  code: DIAGNOSTIC_CODES.EMPTY_PIPELINE,
  tier: 'typed',
  *check(pipeline, { incomplete }) {
    if (pipeline.steps.length === 0 && !incomplete) yield { message: `Pipeline '${pipeline.name}' has no steps.`, hint: 'Return at least one step from `steps`.' };
  },
};

export const noTriggers: Rule = {
  code: DIAGNOSTIC_CODES.NO_TRIGGERS,
  tier: 'typed',
  *check(pipeline) {
    if (pipeline.triggers.length === 0) yield { message: `Pipeline '${pipeline.name}' has no triggers.`, hint: 'Add `triggers: [trigger.manual()]` or a schedule.' };
  },
};

export const invalidCron: Rule = {
  code: DIAGNOSTIC_CODES.INVALID_CRON,
  tier: 'typed',
  *check(pipeline) {
    for (const trigger of pipeline.triggers) {
      if (trigger.kind !== 'schedule') continue;
      const problem = cronProblem(trigger.cron);
      if (problem) yield { message: `Invalid cron '${printable(trigger.cron)}': ${problem}.`, hint: "Write five fields, e.g. '0 6 * * *' for 06:00 every day.", ...(trigger.source ? { location: trigger.source } : {}) };
    }
  },
};

export const invalidTimezone: Rule = {
  code: DIAGNOSTIC_CODES.INVALID_TIMEZONE,
  tier: 'typed',
  *check(pipeline) {
    for (const trigger of pipeline.triggers) {
      if (trigger.kind !== 'schedule' || trigger.timezone === undefined || isValidTimezone(trigger.timezone)) continue;
      yield { message: `Unknown time zone '${printable(trigger.timezone)}'.`, hint: "Use an IANA name such as 'Europe/Paris' or 'UTC'.", ...(trigger.source ? { location: trigger.source } : {}) };
    }
  },
};
