/**
 * When a pipeline's job is added to a GitLab pipeline: its triggers as `rules` (gitlab-notes §1: rules
 * are evaluated in order at pipeline creation, the first match wins, no match means the job is not
 * added). `$CI_PIPELINE_SOURCE` tells the events apart (gitlab-notes §4):
 * - push: `push`, on the branches (as RE2 patterns) and, with paths, `changes`;
 * - pull request: `merge_request_event`, on the MR's target branch;
 * - schedule: `schedule`. Schedules live in GitLab's UI/API, not in YAML: each schedule selects its
 *   pipeline with the schedule variable `SLUICE_SCHEDULE=<pipeline>` (a variable only that schedule's
 *   pipelines have; no YAML default, so a schedule without it runs nothing);
 * - manual: `web` (the "New pipeline" form) or `api`, with `SLUICE_PIPELINE=<pipeline>` chosen in the form.
 * Only fixed variable names and escaped literals appear in the expressions.
 */
import type { PipelineIR, TriggerIR } from '@sluice/sdk/ir';

export const SCHEDULE_VARIABLE = 'SLUICE_SCHEDULE';
export const PIPELINE_VARIABLE = 'SLUICE_PIPELINE';

export interface Rule {
  if: string;
  changes?: string[];
  when?: 'always';
}

/** The job's rules, or a reason a trigger cannot be expressed. */
export function pipelineRules(pipeline: PipelineIR): { rules: Rule[]; problems: string[] } {
  const rules: Rule[] = [];
  const problems: string[] = [];
  const add = (rule: Rule): void => {
    if (!rules.some((existing) => existing.if === rule.if && String(existing.changes) === String(rule.changes))) rules.push(rule);
  };
  for (const trigger of pipeline.triggers) {
    switch (trigger.kind) {
      case 'schedule':
        add({ if: `$CI_PIPELINE_SOURCE == "schedule" && $${SCHEDULE_VARIABLE} == "${pipeline.name}"` });
        break;
      case 'manual':
        add({ if: `$CI_PIPELINE_SOURCE == "web" && $${PIPELINE_VARIABLE} == "${pipeline.name}"` });
        add({ if: `$CI_PIPELINE_SOURCE == "api" && $${PIPELINE_VARIABLE} == "${pipeline.name}"` });
        break;
      case 'push':
      case 'pullRequest': {
        const source = trigger.kind === 'push' ? 'push' : 'merge_request_event';
        const branchVariable = trigger.kind === 'push' ? '$CI_COMMIT_BRANCH' : '$CI_MERGE_REQUEST_TARGET_BRANCH_NAME';
        const patterns = branchPatterns(trigger, problems);
        const changes = trigger.paths.length > 0 ? [...trigger.paths] : undefined;
        if (patterns.length === 0) add({ if: `$CI_PIPELINE_SOURCE == "${source}"`, ...(changes ? { changes } : {}) });
        for (const pattern of patterns) add({ if: `$CI_PIPELINE_SOURCE == "${source}" && ${branchVariable} =~ ${pattern}`, ...(changes ? { changes } : {}) });
        break;
      }
    }
  }
  return { rules, problems };
}

/** Pipeline names are identifiers (validated by the SDK), so they are safe inside `"..."`; checked anyway. */
export function isPlainName(name: string): boolean {
  return /^[A-Za-z0-9_-]+$/.test(name);
}

function branchPatterns(trigger: Extract<TriggerIR, { kind: 'push' | 'pullRequest' }>, problems: string[]): string[] {
  return trigger.branches.flatMap((glob) => {
    const pattern = globToRegex(glob);
    if (pattern === undefined) {
      problems.push(`branch pattern '${glob}' has characters GitLab's rules cannot match`);
      return [];
    }
    return [pattern];
  });
}

/**
 * A GitHub-style branch glob as an anchored RE2 literal for `=~`: `**` any characters, `*` any but `/`,
 * `?` one character; every other character matched literally (punctuation backslash-escaped, so `/`
 * cannot end the literal and `$` cannot name a variable). Returns undefined for characters outside
 * printable ASCII, which a branch name in a rule should not need.
 */
export function globToRegex(glob: string): string | undefined {
  if (!/^[\x21-\x7e]+$/.test(glob)) return undefined;
  let out = '';
  for (let index = 0; index < glob.length; index++) {
    const char = glob[index] as string;
    if (char === '*' && glob[index + 1] === '*') {
      out += '.*';
      index++;
    } else if (char === '*') out += '[^/]*';
    else if (char === '?') out += '[^/]';
    else if (/[A-Za-z0-9_]/.test(char)) out += char;
    else out += `\\${char}`;
  }
  return `/^${out}$/`;
}
