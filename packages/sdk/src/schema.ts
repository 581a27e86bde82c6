// The IR's zod schema, a separate entry point so that loading the DSL never loads zod.
export * from './ir.js';
