/**
 * A snapshot of what a user function (a target override) returned, taken once, as plain data: only
 * plain objects, arrays, strings, finite numbers, booleans and null survive. Anything that could answer
 * differently on a second read (a getter, a Proxy, a class instance with its own toString or toJSON, a
 * function, a symbol key) is refused, so the policy checks exactly the data the YAML writer writes.
 * Nothing here calls user code: no getter is invoked, no Proxy trap is reached (Proxies are detected
 * before any reflection on them).
 */
import { types } from 'node:util';

export type PlainData = null | boolean | number | string | PlainData[] | { [key: string]: PlainData };

export type Snapshot = { ok: true; value: PlainData } | { ok: false; at: string; reason: string };

/** Deep enough for any workflow, shallow enough that a hostile object cannot exhaust the stack. */
const MAX_DEPTH = 64;

export function snapshotPlainData(value: unknown): Snapshot {
  try {
    return { ok: true, value: copy(value, '', 0, new Set()) };
  } catch (error) {
    if (error instanceof NotPlain) return { ok: false, at: error.at === '' ? '(the returned value)' : error.at, reason: error.reason };
    throw error;
  }
}

class NotPlain extends Error {
  constructor(
    readonly at: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}

function copy(value: unknown, at: string, depth: number, ancestors: Set<object>): PlainData {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new NotPlain(at, `${String(value)} is not a finite number`);
    return value;
  }
  if (typeof value !== 'object') throw new NotPlain(at, `a ${typeof value} is not plain data`);
  if (types.isProxy(value)) throw new NotPlain(at, 'a Proxy is not plain data');
  if (depth >= MAX_DEPTH) throw new NotPlain(at, `nested deeper than ${MAX_DEPTH} levels`);
  if (ancestors.has(value)) throw new NotPlain(at, 'the value contains itself');
  ancestors.add(value);
  try {
    return Array.isArray(value) ? copyArray(value, at, depth, ancestors) : copyObject(value, at, depth, ancestors);
  } finally {
    ancestors.delete(value);
  }
}

function copyArray(array: unknown[], at: string, depth: number, ancestors: Set<object>): PlainData[] {
  if (Object.getPrototypeOf(array) !== Array.prototype) throw new NotPlain(at, 'an array subclass is not plain data');
  const descriptors = Object.getOwnPropertyDescriptors(array) as unknown as Record<string | symbol, PropertyDescriptor>;
  const length = (descriptors.length as PropertyDescriptor).value as number;
  const keys = Reflect.ownKeys(descriptors);
  if (keys.length !== length + 1) throw new NotPlain(at, 'an array with holes or extra properties is not plain data');
  const out: PlainData[] = [];
  for (let index = 0; index < length; index += 1) {
    const descriptor = descriptors[String(index)];
    const itemAt = `${at}[${index}]`;
    if (descriptor === undefined) throw new NotPlain(itemAt, 'an array with holes is not plain data');
    if (!('value' in descriptor)) throw new NotPlain(itemAt, 'a getter is not plain data');
    if (descriptor.value === undefined) throw new NotPlain(itemAt, 'undefined is not plain data in a list');
    out.push(copy(descriptor.value, itemAt, depth + 1, ancestors));
  }
  return out;
}

function copyObject(object: object, at: string, depth: number, ancestors: Set<object>): { [key: string]: PlainData } {
  const prototype = Object.getPrototypeOf(object) as unknown;
  if (prototype !== Object.prototype && prototype !== null) throw new NotPlain(at, 'an instance of a class is not plain data (build a plain object)');
  const descriptors = Object.getOwnPropertyDescriptors(object) as Record<string | symbol, PropertyDescriptor>;
  // No prototype: the copy's own keys can never reach Object.prototype (no `__proto__` setter).
  const out = Object.create(null) as { [key: string]: PlainData };
  for (const key of Reflect.ownKeys(descriptors)) {
    if (typeof key === 'symbol') throw new NotPlain(at, 'a symbol key is not plain data');
    const keyAt = at === '' ? key : `${at}.${key}`;
    const descriptor = descriptors[key] as PropertyDescriptor;
    if (!('value' in descriptor)) throw new NotPlain(keyAt, 'a getter or setter is not plain data');
    if (!descriptor.enumerable) throw new NotPlain(keyAt, 'a non-enumerable property is not plain data');
    // An absent value, as a JSON round trip would drop it (the usual way to remove a key).
    if (descriptor.value === undefined) continue;
    out[key] = copy(descriptor.value, keyAt, depth + 1, ancestors);
  }
  return { ...out };
}
