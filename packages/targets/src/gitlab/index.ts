export { gitlabTarget, emitGitlab, GITLAB_DEFAULTS, OIDC_TOKEN_VARIABLE, PAGES_MARKER, PAGES_NOT_PUBLISHED_EXIT, jobName, runnerPath } from './emit.js';
export { globToRegex, pipelineRules, PIPELINE_VARIABLE, SCHEDULE_VARIABLE } from './rules.js';
