/** `on:` as Sluice triggers and typed inputs; whatever else the events say becomes a TODO. */
import { literal, valueCode } from './code.js';
import type { TodoItem } from './steps.js';
import { isRecord, yamlOf } from './workflow.js';

export interface ImportedTriggers {
  triggers: string[];
  /** Input name -> `input.*(...)` code. */
  inputs: Map<string, string>;
  /** Input name -> its default, for the model of the original. */
  defaults: Record<string, string | number | boolean>;
  booleanInputs: Set<string>;
  events: string[];
  todos: TodoItem[];
  mapped: string[];
}

const FILTER_KEYS = new Set(['branches', 'paths']);

export function importTriggers(on: unknown): ImportedTriggers {
  const events: Record<string, unknown> = typeof on === 'string' ? { [on]: null } : Array.isArray(on) ? Object.fromEntries(on.map((event) => [String(event), null])) : isRecord(on) ? on : {};
  const result: ImportedTriggers = { triggers: [], inputs: new Map(), defaults: {}, booleanInputs: new Set(), events: [], todos: [], mapped: [] };
  for (const [event, config] of Object.entries(events)) {
    const original = yamlOf(`on.${event}`, config);
    if (event === 'schedule' && Array.isArray(config)) {
      for (const entry of config) {
        const cron = isRecord(entry) ? entry.cron : undefined;
        if (typeof cron === 'string') result.triggers.push(`trigger.schedule(${literal(cron)})`);
        else result.todos.push({ what: 'a schedule entry without a cron string was left out', original });
      }
      result.events.push('schedule');
      result.mapped.push('on.schedule -> trigger.schedule');
    } else if (event === 'workflow_dispatch') {
      result.triggers.push('trigger.manual()');
      result.events.push('workflow_dispatch');
      const inputs = isRecord(config) && isRecord(config.inputs) ? config.inputs : {};
      for (const [name, definition] of Object.entries(inputs)) {
        const imported = importInput(isRecord(definition) ? definition : {});
        result.inputs.set(name, imported.code);
        if (imported.code.startsWith('input.boolean(')) result.booleanInputs.add(name);
        if (imported.default !== undefined) result.defaults[name] = imported.default;
        if (imported.todo) result.todos.push({ what: `input '${name}': ${imported.todo}`, original: yamlOf(`on.workflow_dispatch.inputs.${name}`, definition) });
      }
      result.mapped.push(`on.workflow_dispatch -> trigger.manual()${result.inputs.size > 0 ? ` with ${result.inputs.size} typed input(s)` : ''}`);
    } else if (event === 'pull_request' || event === 'push') {
      const filter = isRecord(config) ? config : {};
      const parts: string[] = [];
      for (const key of ['branches', 'paths'] as const) {
        const value = filter[key];
        if (Array.isArray(value)) parts.push(`${key}: ${valueCode(value.map(String))}`);
        else if (typeof value === 'string') parts.push(`${key}: ${valueCode([value])}`);
      }
      const dropped = Object.keys(filter).filter((key) => !FILTER_KEYS.has(key));
      if (dropped.length > 0) result.todos.push({ what: `the ${event} trigger's ${dropped.join(', ')} filter has no Sluice equivalent`, original });
      result.triggers.push(`trigger.${event === 'push' ? 'push' : 'pullRequest'}(${parts.length > 0 ? `{ ${parts.join(', ')} }` : ''})`);
      result.events.push(event);
      result.mapped.push(`on.${event} -> trigger.${event === 'push' ? 'push' : 'pullRequest'}`);
    } else {
      result.events.push(event);
      result.todos.push({ what: `the '${event}' trigger has no Sluice equivalent`, original });
    }
  }
  return result;
}

function importInput(definition: Record<string, unknown>): { code: string; default?: string | number | boolean; todo?: string } {
  const declared = definition.type;
  const type = declared === 'boolean' || declared === 'number' || declared === 'choice' ? declared : 'string';
  const todo = declared !== undefined && declared !== type ? `type '${String(declared)}' is imported as a string` : undefined;
  const fallback = definition.default;
  const value = fallback === undefined ? undefined : type === 'boolean' ? fallback === true || fallback === 'true' : type === 'number' ? Number(fallback) : String(fallback);
  const parts = [
    ...(definition.description !== undefined ? [`description: ${literal(String(definition.description))}`] : []),
    ...(definition.required === true ? ['required: true'] : []),
    ...(value !== undefined && !(typeof value === 'number' && !Number.isFinite(value)) ? [`default: ${valueCode(value)}`] : []),
    ...(type === 'choice' ? [`options: ${valueCode(Array.isArray(definition.options) ? definition.options.map(String) : [])}`] : []),
  ];
  return { code: `input.${type}(${parts.length > 0 ? `{ ${parts.join(', ')} }` : ''})`, ...(value !== undefined ? { default: value } : {}), ...(todo ? { todo } : {}) };
}
