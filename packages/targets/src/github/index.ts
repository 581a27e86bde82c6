export { githubTarget, emitGithub, GITHUB_DEFAULTS } from './emit.js';
export { SETUP_STEP_ID } from './conditions.js';
export { ACTION_PINS } from './pins.js';
export type { Workflow, Job, JobStep } from './model.js';
export { githubPolicyViolations, type PolicyViolation, type PolicyRule } from './policy.js';
