/**
 * Copies what an override returned into plain data, once, before anything checks or writes it: the
 * check and the writer then read the same bytes. Whatever could answer differently on a second read
 * is refused instead of copied: a Proxy (checked before any of its traps can run), a getter or setter,
 * an object of a class, a function, a symbol key, a cycle. Only data properties are read (through
 * their descriptors, so no code of the override runs during the copy).
 */
import { types } from 'node:util';

export type PlainData = string | number | boolean | null | PlainData[] | { [key: string]: PlainData };

export type Snapshot = { ok: true; value: PlainData } | { ok: false; path: string; problem: string };

const MAX_DEPTH = 200;

class NotPlain extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(problem);
  }
}

export function snapshotPlainData(value: unknown): Snapshot {
  try {
    return { ok: true, value: copy(value, '', new Set(), 0) };
  } catch (error) {
    if (error instanceof NotPlain) return { ok: false, path: error.path || '(the object)', problem: error.problem };
    throw error;
  }
}

function copy(value: unknown, path: string, ancestors: Set<object>, depth: number): PlainData {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new NotPlain(path, `is ${value}, not a finite number`);
    return value;
  }
  if (typeof value !== 'object') throw new NotPlain(path, `is a ${typeof value}, not data`);
  if (types.isProxy(value)) throw new NotPlain(path, 'is a Proxy');
  if (ancestors.has(value)) throw new NotPlain(path, 'contains itself');
  if (depth > MAX_DEPTH) throw new NotPlain(path, `is nested deeper than ${MAX_DEPTH} levels`);
  const prototype = Object.getPrototypeOf(value);
  const isArray = Array.isArray(value);
  if (isArray ? prototype !== Array.prototype : prototype !== Object.prototype && prototype !== null) {
    throw new NotPlain(path, `is an instance of ${describe(prototype)}, not a plain object or array`);
  }
  ancestors.add(value);
  const descriptors = Object.getOwnPropertyDescriptors(value);
  if (Object.getOwnPropertySymbols(descriptors).length > 0) throw new NotPlain(path, 'has a symbol key');
  const entries: [string, PlainData][] = [];
  for (const [key, descriptor] of Object.entries(descriptors)) {
    if (isArray && key === 'length') continue;
    const at = isArray ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`;
    if (!('value' in descriptor)) throw new NotPlain(at, 'is a getter or setter, not a value');
    if (!descriptor.enumerable) throw new NotPlain(at, 'is a hidden (non-enumerable) property');
    if (descriptor.value === undefined && !isArray) continue; // an absent setting, as the writer treats it
    entries.push([key, copy(descriptor.value, at, ancestors, depth + 1)]);
  }
  ancestors.delete(value);
  if (isArray) {
    const length = (value as unknown[]).length;
    if (entries.length !== length) throw new NotPlain(path, 'is a sparse array');
    return entries.map(([, item]) => item);
  }
  const result: { [key: string]: PlainData } = {};
  // defineProperty, not assignment: a key named __proto__ stays a key.
  for (const [key, item] of entries) Object.defineProperty(result, key, { value: item, enumerable: true, writable: true, configurable: true });
  return result;
}

function describe(prototype: unknown): string {
  if (typeof prototype === 'object' && prototype !== null && types.isProxy(prototype)) return 'a Proxy';
  const descriptor = prototype === null ? undefined : Object.getOwnPropertyDescriptor(prototype, 'constructor');
  const constructor = descriptor && 'value' in descriptor ? (descriptor.value as unknown) : undefined;
  const name = typeof constructor === 'function' && !types.isProxy(constructor) ? Object.getOwnPropertyDescriptor(constructor, 'name')?.value : undefined;
  return typeof name === 'string' && name !== '' ? name : 'a class';
}
