/**
 * Each target's settings type (its config-types.ts, copied into the SDK as `TargetOptionsByName`) and
 * its zod options schema (options.ts, what the compiler checks a config with) describe the same
 * settings: the same keys, each optional or required alike, of the same types. Checked at the type
 * level for every registry entry by `npm run typecheck` (which compiles this file); the cases below
 * the check show that it does tell a difference.
 */
import type { TargetName, TargetOptionsByName } from '@sluice/sdk/ir';
import { TARGET_NAMES, TARGET_REGISTRY } from '@sluice/targets';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';

/**
 * What a setting's type means for a config, on both sides: zod can only check that an `override` is a
 * function (not its signature), `z.looseObject` adds `[key: string]: unknown`, and zod's arrays are
 * mutable where the interfaces promise not to change the user's arrays.
 */
type Normalised<T> = T extends (...args: never[]) => unknown
  ? 'a function'
  : T extends readonly (infer Item)[]
    ? Normalised<Item>[]
    : T extends object
      ? { -readonly [Key in keyof T as string extends Key ? (unknown extends T[Key] ? never : Key) : Key]: Normalised<T[Key]> }
      : T;

/** True only for identical types (keys, optionality and property types), not merely assignable ones. */
type Same<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;

type Agrees<Interface, Schema extends z.ZodType> = Same<Normalised<Interface>, Normalised<z.input<Schema>>>;

/** The names of the targets whose interface and schema differ (never when all agree). */
type Disagreeing = { [Name in TargetName]: Agrees<TargetOptionsByName[Name], (typeof TARGET_REGISTRY)[Name]['optionsSchema']> extends true ? never : Name }[TargetName];

// A type error here names the targets whose config-types.ts and options.ts schema differ.
const everyTargetAgrees: [Disagreeing] extends [never] ? true : Disagreeing = true;

// The check tells each kind of difference (each line would compile if it did not).
// @ts-expect-error a setting missing from the schema
const missingKey: Agrees<{ dir?: string; runsOn?: string }, z.ZodObject<{ dir: z.ZodOptional<z.ZodString> }>> = true;
// @ts-expect-error a setting of another type
const otherType: Agrees<{ dir?: string }, z.ZodObject<{ dir: z.ZodOptional<z.ZodNumber> }>> = true;
// @ts-expect-error required in one, optional in the other
const otherOptionality: Agrees<{ dir: string }, z.ZodObject<{ dir: z.ZodOptional<z.ZodString> }>> = true;
// @ts-expect-error a nested setting missing
const nestedKey: Agrees<{ workspace?: { size?: string; storageClassName?: string } }, z.ZodObject<{ workspace: z.ZodOptional<z.ZodObject<{ size: z.ZodOptional<z.ZodString> }>> }>> = true;
// What the normalisation forgives: readonly arrays, a function's signature, a loose object's extra keys.
const forgiven: Agrees<{ tags?: readonly string[]; override?: (a: string) => number }, z.ZodObject<{ tags: z.ZodOptional<z.ZodArray<z.ZodString>>; override: z.ZodOptional<z.ZodCustom<(...args: unknown[]) => unknown, (...args: unknown[]) => unknown>> }, z.core.$loose>> = true;

describe('target settings types and schemas', () => {
  it('agree for every registered target (type-checked above)', () => {
    expect(everyTargetAgrees).toBe(true);
    expect([missingKey, otherType, otherOptionality, nestedKey, forgiven]).toEqual([true, true, true, true, true]);
  });

  it('every registered target has a schema that accepts its documented defaults', () => {
    for (const name of TARGET_NAMES) {
      const { optionsSchema, defaults } = TARGET_REGISTRY[name];
      expect(optionsSchema.safeParse(defaults).success, name).toBe(true);
    }
  });
});
