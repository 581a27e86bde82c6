/**
 * DSL objects carry a brand under a registered symbol rather than relying on `instanceof`, so an
 * object made by another copy of the SDK (a user's bundle, a second install) is still recognised.
 */
export const BRAND = Symbol.for('sluice.dsl');

export type BrandName = 'pipeline' | 'step' | 'secret' | 'input' | 'condition' | 'artifact' | 'trigger' | 'config' | 'todo';

export function hasBrand(value: unknown, name: BrandName): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === name;
}
