/**
 * Rules about one step's options: retries and timeouts, dbt selections and state, the dbt version,
 * state saves and loads, and inputs pasted into strings. Selections, dbt features and state shapes
 * are read from the facts lowering kept (`StepFacts`): the IR holds them only inside argv.
 */
import { DIAGNOSTIC_CODES, flattenArgs, inputsInString, type Arg } from '@sluice/sdk/ir';
import { inputMarkersIn } from '../lower-dbt.js';
import { describeValue, type Rule } from './rule.js';

const MAX_RETRIES = 10;

export const invalidRetries: Rule = {
  code: DIAGNOSTIC_CODES.INVALID_RETRIES,
  tier: 'values',
  *check(pipeline) {
    for (const step of pipeline.steps) {
      const retries: unknown = step.retries;
      if (!Number.isInteger(retries) || (retries as number) < 0 || (retries as number) > MAX_RETRIES) {
        yield { step, message: `retries must be a whole number from 0 to ${MAX_RETRIES} (got ${describeValue(retries)}).`, hint: `Give the number of extra attempts, e.g. retries: 2 (at most ${MAX_RETRIES}).` };
      }
    }
  },
};

export const invalidTimeout: Rule = {
  code: DIAGNOSTIC_CODES.INVALID_TIMEOUT,
  tier: 'values',
  *check(pipeline) {
    const hint = 'Give whole minutes, e.g. timeoutMinutes: 60.';
    const pipelineTimeout: unknown = pipeline.timeoutMinutes;
    if (!isPositiveWhole(pipelineTimeout)) yield { message: `The timeoutMinutes of pipeline '${pipeline.name}' must be a positive whole number (got ${describeValue(pipelineTimeout)}).`, hint };
    for (const step of pipeline.steps) {
      const timeout: unknown = step.timeoutMinutes;
      if (timeout !== undefined && !isPositiveWhole(timeout)) yield { step, message: `timeoutMinutes must be a positive whole number (got ${describeValue(timeout)}).`, hint };
    }
  },
};

/** A whole number of minutes, exact in a double (the IR schema refuses unsafe integers such as 2 ** 53). */
function isPositiveWhole(value: unknown): boolean {
  return Number.isSafeInteger(value) && (value as number) > 0;
}

export const invalidSelector: Rule = {
  code: DIAGNOSTIC_CODES.INVALID_SELECTOR,
  tier: 'typed',
  *check(pipeline, { facts }) {
    for (const step of pipeline.steps) {
      for (const selector of facts(step)?.selectors ?? []) {
        if (isValidSelector(selector) || inputsInString(selector).length > 0) continue;
        yield { step, message: `Selector ${JSON.stringify(selector)} is not valid dbt selection syntax.`, hint: "Selectors use dbt's syntax (tag:nightly, orders+, path:models/marts) and never start with '-'." };
      }
      for (const value of facts(step)?.selectorsOfWrongType ?? []) {
        yield { step, message: `The selection of step '${step.id}' holds ${value}, which is not a selector.`, hint: "Select with strings in dbt's syntax (select: ['orders+', 'tag:nightly']), selector.* or an input." };
      }
    }
  },
};

/** dbt's node selection syntax: methods, globs, graph and set operators. Never a leading `-`. */
const SELECTOR_WORD = String.raw`[A-Za-z0-9_.:/*?+@,=[\]][A-Za-z0-9_.:/*?+@,=[\]-]*`;
const SELECTOR = new RegExp(`^${SELECTOR_WORD}(?: ${SELECTOR_WORD})*$`);

export function isValidSelector(selector: string): boolean {
  return SELECTOR.test(selector) && !selector.startsWith('-');
}

export const stateSelectorWithoutState: Rule = {
  code: DIAGNOSTIC_CODES.STATE_SELECTOR_WITHOUT_STATE,
  tier: 'typed',
  *check(pipeline, { facts }) {
    for (const step of pipeline.steps) {
      const stateless = facts(step)?.statefulSelectorsWithoutState ?? [];
      if (stateless.length === 0 && !facts(step)?.defersWithoutState) continue;
      yield {
        step,
        message:
          stateless.length > 0
            ? `Step '${step.id}' selects ${stateless.map((selector) => JSON.stringify(selector)).join(', ')} but has no state: dbt refuses state:, result: and source_status: selectors without --state.`
            : `Step '${step.id}' defers (--defer) but has no state to defer to.`,
        hint: "Load the production state and pass it: `const prod = state.s3('s3://...').load(); dbt.build({ select: 'state:modified+', state: prod })`, or select without state.",
      };
    }
  },
};

export const dbtVersionTooOld: Rule = {
  code: DIAGNOSTIC_CODES.DBT_VERSION_TOO_OLD,
  tier: 'typed',
  *check(pipeline, { facts }) {
    for (const step of pipeline.steps) {
      const stepFacts = facts(step);
      for (const missing of stepFacts?.missingDbtFeatures ?? []) {
        yield {
          step,
          message: `Step '${step.id}' uses ${missing.what}, which needs dbt >= ${missing.since}; this project runs dbt ${stepFacts?.dbtVersion}${stepFacts?.dbtVersionSource ? ` (from ${stepFacts.dbtVersionSource})` : ''}.`,
          hint:
            missing.feature === 'static'
              ? `Upgrade dbt to ${missing.since} or later, or use dbt.docs({ static: false }) and publish docs.targetDir.`
              : `Upgrade dbt to ${missing.since} or later (or set dbtVersion in sluice.config.ts if the detected version is wrong).`,
        };
      }
    }
  },
};

export const stateSource: Rule = {
  code: DIAGNOSTIC_CODES.STATE_SOURCE,
  tier: 'typed',
  *check(pipeline) {
    for (const step of pipeline.steps) {
      const command = step.command;
      if (command.kind === 'state-load' && command.store.kind === 'github-artifact' && command.set === 'last-run') {
        yield { step, message: `Step '${step.id}' loads the last run's results from a GitHub artifact; GitHub-artifact state keeps only the last successful build.`, hint: "Use state.s3(...) or state.gcs(...) for dbt retry: they keep the last run's results apart from the baseline." };
      }
      if (command.kind === 'state-save' && command.from === undefined) {
        yield { step, message: `Step '${step.id}' saves state but no single dbt step is named to save it from.`, hint: 'Pass the dbt step: `store.save({ from: run })` (or `needs: run` with exactly one dbt step).' };
      }
    }
  },
};

/**
 * Rule "state directory": where state is read from (`--state <dir>`) or loaded into is a directory
 * of its own inside the dbt project. Never dbt's `target/` (each run starts by clearing the dbt
 * steps' own target directories there, and dbt writes into it: the comparison would be this run's
 * own output, or nothing), never absolute and never climbing out with `..` (a load clears the
 * manifest.json and run_results.json it finds there first).
 */
export const stateDirectory: Rule = {
  code: DIAGNOSTIC_CODES.STATE_DIRECTORY,
  tier: 'typed',
  *check(pipeline) {
    for (const step of pipeline.steps) {
      const dirs = step.command.kind === 'state-load' ? [step.command.dir] : step.command.kind === 'argv' ? stateArguments(step.command.argv) : [];
      for (const dir of dirs) {
        const problem = stateDirectoryProblem(dir);
        if (problem) yield { step, message: `Step '${step.id}' uses ${JSON.stringify(dir)} as its state directory: ${problem}.`, hint: "Load state into a directory of its own, e.g. store.load({ into: 'prod-state' }), and pass the load step as state:." };
      }
    }
  },
};

/** The directory after each literal `--state` (also inside run-time choices). */
function stateArguments(argv: readonly Arg[]): string[] {
  const args = flattenArgs(argv);
  return args.flatMap((arg, index) => {
    const next = args[index + 1];
    return arg.kind === 'literal' && arg.value === '--state' && next?.kind === 'literal' ? [next.value] : [];
  });
}

function stateDirectoryProblem(dir: string): string | undefined {
  if (dir === '' || dir.startsWith('/') || /^[A-Za-z]:/.test(dir)) return 'it must be a path relative to the dbt project';
  const parts = dir.split(/[\\/]+/).filter((part) => part !== '' && part !== '.');
  if (parts.includes('..')) return 'it climbs out of the dbt project with ..';
  if (parts.length === 0) return 'it is the dbt project itself';
  if (parts[0]?.toLowerCase() === 'target') return "it is inside dbt's target/, which dbt and each run overwrite";
  return undefined;
}

export const inputInString: Rule = {
  code: DIAGNOSTIC_CODES.INPUT_IN_STRING,
  tier: 'typed',
  *check(pipeline) {
    for (const step of pipeline.steps) {
      for (const found of inputMarkersIn({ command: step.command, env: step.env }, step.id)) {
        yield {
          step,
          message: `Step '${step.id}' puts input '${found.input}' inside a string (a template string such as \`\${inputs.${found.input}}+\`): its value is only known at run time, so the string would hold no value.`,
          hint: `Pass the input itself (select: inputs.${found.input}), or build the selection with its operators: select: selector.children(inputs.${found.input}) is '<${found.input}>+'.`,
        };
      }
    }
    for (const found of inputMarkersIn(pipeline.env, pipeline.name)) {
      yield { message: `The env of pipeline '${pipeline.name}' puts input '${found.input}' inside a string: its value is only known at run time.`, hint: `Use the input itself as the value: env: { NAME: inputs.${found.input} }.` };
    }
  },
};
