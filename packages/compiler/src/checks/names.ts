/**
 * Rules about names: pipeline, input and step names engines accept, names Sluice reserves, env and
 * secret names, and names that engines would fold into one.
 */
import { DIAGNOSTIC_CODES, isNotifyCommand, notifySecretNames, type PipelineIR, type StepIR } from '@sluice/sdk/ir';
import { printable, type Finding, type Rule } from './rule.js';

const PIPELINE_NAME = /^[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const STEP_ID = /^[A-Za-z](?:[A-Za-z0-9_-]{0,48}[A-Za-z0-9])?$/;
const INPUT_NAME = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESERVED_ENV_PREFIXES = ['GITHUB_', 'RUNNER_', 'SLUICE_', 'ACTIONS_'];

export const invalidName: Rule = {
  code: DIAGNOSTIC_CODES.INVALID_NAME,
  tier: 'typed',
  *check(pipeline) {
    if (!PIPELINE_NAME.test(pipeline.name)) {
      yield { message: `Pipeline name '${printable(pipeline.name)}' is not allowed.`, hint: 'Use 1 to 63 lower-case letters, digits and inner hyphens, starting with a letter (it names files and engine objects).' };
    }
    for (const input of pipeline.inputs) {
      if (!INPUT_NAME.test(input.name)) yield { message: `Input name '${printable(input.name)}' is not allowed.`, hint: 'Use letters, digits and underscores, starting with a letter.' };
    }
    for (const step of pipeline.steps) {
      if (!STEP_ID.test(step.id)) yield { step, message: `Step id '${printable(step.id)}' is not allowed.`, hint: 'Use 1 to 50 letters, digits, `_` and `-`, starting with a letter.' };
    }
  },
};

export const reservedStepId: Rule = {
  code: DIAGNOSTIC_CODES.RESERVED_NAME,
  tier: 'typed',
  *check(pipeline) {
    for (const step of pipeline.steps) {
      if (STEP_ID.test(step.id) && isReservedStepId(step.id)) {
        yield { step, message: `Step id '${step.id}' is reserved: Sluice names its own steps and tasks sluice-* (sluice-setup, sluice-prepare, sluice-verdict, ...).`, hint: `Rename the step, e.g. '${step.id.slice(6).replace(/^[-_]/, '') || 'main'}'.` };
      }
    }
  },
};

/**
 * Rule "reserved names": ids Sluice generates are `sluice-*` on every engine (GitHub step ids,
 * Argo task names after kebab-casing), so `sluice-x`, `sluice_x` and `sluiceX` are all reserved.
 */
function isReservedStepId(id: string): boolean {
  if (id.slice(0, 6).toLowerCase() !== 'sluice') return false;
  const next = id.charAt(6);
  return next === '' || next === '-' || next === '_' || (next >= 'A' && next <= 'Z');
}

export const invalidEnvName: Rule = {
  code: DIAGNOSTIC_CODES.INVALID_ENV_NAME,
  tier: 'typed',
  *check(pipeline) {
    for (const { variable, step } of variables(pipeline)) {
      const reserved = RESERVED_ENV_PREFIXES.some((prefix) => variable.name.toUpperCase().startsWith(prefix));
      if (!ENV_NAME.test(variable.name) || reserved) {
        yield { ...(step ? { step } : {}), message: `Environment variable name '${printable(variable.name)}' is not allowed.`, hint: `Use letters, digits and underscores, not starting with a digit or with ${RESERVED_ENV_PREFIXES.join(', ')}.` };
      }
    }
  },
};

export const invalidSecretName: Rule = {
  code: DIAGNOSTIC_CODES.INVALID_SECRET_NAME,
  tier: 'typed',
  *check(pipeline) {
    const names: { name: string; step?: StepIR }[] = [];
    for (const { variable, step } of variables(pipeline)) if (variable.value.kind === 'secret') names.push({ name: variable.value.name, ...(step ? { step } : {}) });
    for (const step of pipeline.steps) if (isNotifyCommand(step.command)) for (const name of notifySecretNames(step.command)) names.push({ name, step });
    const credentials = pipeline.runtime.kind === 'image' ? pipeline.runtime.credentials : undefined;
    if (credentials?.kind === 'account') for (const value of [credentials.username, credentials.password]) if (value.kind === 'secret') names.push({ name: value.name });
    for (const { name, step } of names) {
      if (!ENV_NAME.test(name) || name.toUpperCase().startsWith('GITHUB_')) {
        yield { ...(step ? { step } : {}), message: `Secret name '${printable(name)}' is not allowed.`, hint: 'Use letters, digits and underscores, not starting with a digit or GITHUB_.' };
      }
    }
  },
};

/**
 * Rule "case collisions": GitHub treats input names (and the SLUICE_INPUT_* variables made from
 * them) and env names case-insensitively, so two names that differ only in case, or the same name
 * twice in one list, would make a workflow GitHub rejects or one value silently win. (Step ids
 * that differ only in case keep their older code: checks/graph.ts, idsDifferOnlyInCase.)
 */
export const caseCollision: Rule = {
  code: DIAGNOSTIC_CODES.CASE_COLLISION,
  tier: 'typed',
  *check(pipeline) {
    const collisions = function* (names: readonly string[], what: string, step?: StepIR): Generator<Finding> {
      const seen = new Map<string, string>();
      for (const name of names) {
        const earlier = seen.get(name.toUpperCase());
        if (earlier === undefined) seen.set(name.toUpperCase(), name);
        else {
          yield {
            ...(step ? { step } : {}),
            message: earlier === name ? `The ${what} '${name}' is given twice.` : `The ${what}s '${earlier}' and '${name}' differ only in case; engines treat them as one.`,
            hint: `Give each ${what} a name that differs in more than case.`,
          };
        }
      }
    };
    yield* collisions(pipeline.inputs.map((input) => input.name), 'input');
    yield* collisions(pipeline.env.map((variable) => variable.name), 'environment variable');
    for (const step of pipeline.steps) {
      yield* collisions(step.env.map((variable) => variable.name), 'environment variable', step);
      // A step's variable may replace the pipeline's of the same name, not one spelled differently.
      const stepNames = new Set(step.env.map((variable) => variable.name));
      for (const variable of pipeline.env) {
        const differing = step.env.find((own) => own.name !== variable.name && own.name.toUpperCase() === variable.name.toUpperCase());
        if (differing && !stepNames.has(variable.name)) {
          yield { step, message: `The environment variables '${variable.name}' (pipeline) and '${differing.name}' (step) differ only in case; engines treat them as one.`, hint: 'Spell both the same way, or rename one.' };
        }
      }
    }
  },
};

function variables(pipeline: PipelineIR): { variable: PipelineIR['env'][number]; step?: StepIR }[] {
  return [...pipeline.env.map((variable) => ({ variable })), ...pipeline.steps.flatMap((step) => step.env.map((variable) => ({ variable, step })))];
}
