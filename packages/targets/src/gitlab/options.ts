/** The GitLab target's settings, checked at run time (config rule "config types"). */
import { z } from 'zod';

export const GITLAB_DEFAULTS = { path: '.gitlab/sluice.yml', stage: 'test', artifactsExpireIn: '30 days', oidcAudience: 'https://gitlab.com' } as const;

export const gitlabOptionsSchema = z.looseObject({
  path: z.string().optional(),
  pythonImage: z.string().optional(),
  stage: z.string().optional(),
  tags: z.array(z.string()).optional(),
  artifactsExpireIn: z.string().optional(),
  oidcAudience: z.string().optional(),
});
