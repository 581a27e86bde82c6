/** The GitHub target's settings, checked at run time (config rule "config types"; see compiler/config-schema.ts). */
import { z } from 'zod';
import { overrideFunction } from '../shared/options.js';

export const GITHUB_DEFAULTS = { dir: '.github/workflows', runsOn: 'ubuntu-24.04' } as const;

export const githubOptionsSchema = z.looseObject({
  dir: z.string().optional(),
  runsOn: z.string().optional(),
  scheduleTimezones: z.boolean().optional(),
  override: overrideFunction.optional(),
});
