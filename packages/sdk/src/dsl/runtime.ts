import type { Secret } from './values.js';

/**
 * How the engine logs in to a private registry before pulling `runtime.image`:
 * - `{ username, password }`: a registry account; the password (and, if you like, the user name) is a secret;
 * - `'github-token'`: the job's own token, for images in this repository owner's GitHub Container
 *   Registry (`ghcr.io`); the job gets `packages: read`.
 * Argo pulls with `targets.argo.imagePullSecrets` instead; the entrypoint target runs inside the image.
 */
export type RegistryCredentials = { readonly username: string | Secret; readonly password: Secret } | 'github-token';

/** Where the steps run. */
export type Runtime =
  | { readonly kind: 'python'; readonly version: string; readonly requirements?: string }
  | { readonly kind: 'image'; readonly image: string; readonly credentials?: RegistryCredentials };

export const runtime = {
  /**
   * A Python environment set up by the engine: the interpreter, then `pip install -r requirements`.
   * @param options.version @default '3.12'
   * @param options.requirements pip requirements file, relative to the project root. @default 'requirements.txt'
   */
  python(options: { version?: string; requirements?: string } = {}): Runtime {
    return { kind: 'python', version: options.version ?? '3.12', requirements: options.requirements ?? 'requirements.txt' };
  },
  /**
   * A container image that already has dbt and the adapter installed.
   * @example runtime.image('registry.acme.com/data/dbt:1.10.2', { credentials: { username: secret('REGISTRY_USER'), password: secret('REGISTRY_PASSWORD') } })
   * @example runtime.image('ghcr.io/acme/dbt:1.10.2', { credentials: 'github-token' })
   */
  image(image: string, options: { credentials?: RegistryCredentials } = {}): Runtime {
    return { kind: 'image', image, ...(options.credentials !== undefined ? { credentials: options.credentials } : {}) };
  },
};
