export { argoTarget, emitArgo, ARGO_DEFAULTS, escapeKubernetesExpansion } from './emit.js';
export { dnsLabel, MAX_NAME, MAX_CRON_NAME } from './names.js';
