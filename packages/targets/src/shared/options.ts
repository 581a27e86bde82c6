import { z } from 'zod';

/** A target's `override` setting: the way out for what Sluice does not model (a function, not data). */
export const overrideFunction = z.custom<(...args: unknown[]) => unknown>((value) => typeof value === 'function', { message: 'expected a function' });
