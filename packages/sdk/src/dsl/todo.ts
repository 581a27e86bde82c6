import type { SourceLocation } from '../ir.js';
import { callSite } from '../location.js';
import { BRAND, hasBrand } from './brand.js';

/**
 * Something `sluice import` could not carry over: what it is, and the workflow's original YAML.
 * A pipeline that still lists a todo does not check or compile (`SLUICE_E_IMPORT_TODO`), so an
 * imported pipeline never runs with a silently changed meaning. Delete the entry once the pipeline
 * does what the YAML did (or the difference is accepted).
 */
export interface Todo {
  readonly [BRAND]: 'todo';
  readonly what: string;
  readonly original: string;
  readonly location?: SourceLocation;
}

export function todo(what: string, original = ''): Todo {
  return { [BRAND]: 'todo', what: String(what), original: String(original), location: callSite(todo) };
}

export const isTodo = (value: unknown): value is Todo => hasBrand(value, 'todo');
