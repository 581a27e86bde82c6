import type { SourceLocation } from '../ir.js';
import { callSite } from '../location.js';
import { BRAND, hasBrand } from './brand.js';

/** A secret held by the engine (GitHub secret, Kubernetes Secret, container environment). */
export interface Secret {
  readonly [BRAND]: 'secret';
  readonly name: string;
  readonly location?: SourceLocation;
}

/**
 * A secret, by name. Its value never appears in generated files: each target wires it into the
 * environment of the steps that need it.
 *
 * @example env: { SNOWFLAKE_PASSWORD: secret('SNOWFLAKE_PASSWORD') }
 */
export function secret(name: string): Secret {
  return { [BRAND]: 'secret', name, location: callSite(secret) };
}

export const isSecret = (value: unknown): value is Secret => hasBrand(value, 'secret');

export type InputType = 'string' | 'boolean' | 'number' | 'choice';

interface InputDefBase<T extends InputType, V> {
  readonly [BRAND]: 'input';
  readonly type: T;
  /** Shown in the manual-run form. */
  readonly description?: string;
  /** A required input must be given when the pipeline is started by hand. @default false */
  readonly required: boolean;
  readonly default?: V;
  readonly location?: SourceLocation;
}

export type StringInput = InputDefBase<'string', string>;
export type BooleanInput = InputDefBase<'boolean', boolean>;
export type NumberInput = InputDefBase<'number', number>;
export interface ChoiceInput<O extends string = string> extends InputDefBase<'choice', O> {
  readonly options: readonly O[];
}
export type InputDef = StringInput | BooleanInput | NumberInput | ChoiceInput;
export type InputDefs = Record<string, InputDef>;

/** A reference to a pipeline input, usable wherever a step option accepts one. */
export interface InputRef<T extends InputType = InputType> {
  readonly [BRAND]: 'input-ref';
  readonly name: string;
  readonly type: T;
}

export type InputRefs<I extends InputDefs> = { readonly [K in keyof I & string]: InputRef<I[K]['type']> };

export const isInputRef = (value: unknown): value is InputRef =>
  typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === 'input-ref';

interface InputOptions<V> {
  description?: string;
  /** @default false */
  required?: boolean;
  default?: V;
}

/** Typed inputs for manually started runs (`workflow_dispatch` form, Argo parameters, `--input`). */
export const input = {
  string(options: InputOptions<string> = {}): StringInput {
    return { [BRAND]: 'input', type: 'string', required: options.required ?? false, ...pick(options), location: callSite(input.string) };
  },
  boolean(options: InputOptions<boolean> = {}): BooleanInput {
    return { [BRAND]: 'input', type: 'boolean', required: options.required ?? false, ...pick(options), location: callSite(input.boolean) };
  },
  number(options: InputOptions<number> = {}): NumberInput {
    return { [BRAND]: 'input', type: 'number', required: options.required ?? false, ...pick(options), location: callSite(input.number) };
  },
  choice<const O extends string>(options: InputOptions<NoInfer<O>> & { options: readonly O[] }): ChoiceInput<O> {
    return {
      [BRAND]: 'input',
      type: 'choice',
      required: options.required ?? false,
      options: options.options,
      ...pick(options),
      location: callSite(input.choice),
    };
  },
};

function pick<V>(options: InputOptions<V>): { description?: string; default?: V } {
  const picked: { description?: string; default?: V } = {};
  if (options.description !== undefined) picked.description = options.description;
  if (options.default !== undefined) picked.default = options.default;
  return picked;
}

/**
 * What an input reference turns into when JavaScript makes a string of it (a template string such as
 * `${inputs.model}+`). An input's value is only known at run time, so such a string can never be
 * right: lowering finds this marker in every user string and reports where it came from.
 */
const INPUT_IN_STRING_MARKER = '\u2983sluice-input:';
const MARKER_END = '\u2984';
/** Finds input markers in a string: the input names, in order. */
export function inputsInString(text: string): string[] {
  const names: string[] = [];
  let at = text.indexOf(INPUT_IN_STRING_MARKER);
  while (at >= 0) {
    const end = text.indexOf(MARKER_END, at);
    names.push(text.slice(at + INPUT_IN_STRING_MARKER.length, end < 0 ? undefined : end));
    at = text.indexOf(INPUT_IN_STRING_MARKER, at + 1);
  }
  return names;
}

export function inputRefs<I extends InputDefs>(defs: I): InputRefs<I> {
  const refs: Record<string, InputRef> = {};
  for (const [name, def] of Object.entries(defs)) {
    const ref = { [BRAND]: 'input-ref', name, type: def.type } as InputRef;
    const marker = (): string => `${INPUT_IN_STRING_MARKER}${name}${MARKER_END}`;
    // Not enumerable: spreading or serialising a reference stays plain data.
    Object.defineProperty(ref, 'toString', { value: marker, enumerable: false });
    Object.defineProperty(ref, Symbol.toPrimitive, { value: marker, enumerable: false });
    refs[name] = ref;
  }
  return refs as InputRefs<I>;
}

/** What an environment variable may be set to. */
export type EnvValue = string | Secret | InputRef;
