/** The entrypoint target's settings, checked at run time (config rule "config types"). */
import { z } from 'zod';

export const ENTRYPOINT_DEFAULTS = { path: 'docker/entrypoint.sh' } as const;

export const entrypointOptionsSchema = z.looseObject({ path: z.string().optional() });
