export { entrypointTarget, emitEntrypoint, ENTRYPOINT_DEFAULTS } from './emit.js';
