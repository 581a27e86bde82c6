/** Lowering of a pipeline's runtime: a Python environment (the default) or a container image. */
import { DIAGNOSTIC_CODES, isSecret, type RegistryCredentialsIR, type RuntimeIR } from '@sluice/sdk/ir';
import { at, type PipelineScope } from './lower-scope.js';

export function lowerRuntime(scope: PipelineScope): RuntimeIR {
  const spec = scope.pipeline.spec.runtime ?? { kind: 'python', version: '3.12', requirements: 'requirements.txt' };
  const dbtDeps = scope.context.hasDbtPackages;
  if (spec.kind === 'python') return { kind: 'python', version: spec.version, ...(spec.requirements ? { requirements: spec.requirements } : {}), dbtDeps };
  return { kind: 'image', image: spec.image, ...(spec.credentials !== undefined ? { credentials: lowerRegistryCredentials(scope, spec.credentials) } : {}), dbtDeps };
}

const REGISTRY_USER = /^[A-Za-z0-9._@+-]{1,128}$/;

/**
 * Registry credentials: the password is always a secret; the user name a secret or a plain account
 * name (it lands in the workflow as it is). A translation failure, kept in lowering: the IR carries
 * a password only as a secret's name, so a password in clear has no IR form.
 */
function lowerRegistryCredentials(scope: PipelineScope, credentials: unknown): RegistryCredentialsIR {
  if (credentials === 'github-token') return { kind: 'github-token' };
  const { username, password } = (typeof credentials === 'object' && credentials !== null ? credentials : {}) as { username?: unknown; password?: unknown };
  const problem = (message: string, hint: string): RegistryCredentialsIR => {
    scope.report({ code: DIAGNOSTIC_CODES.INVALID_REGISTRY_CREDENTIALS, message, hint, path: [...scope.path, 'runtime credentials'], ...at(scope.location) });
    return { kind: 'github-token' };
  };
  if (!isSecret(password)) return problem('The registry password must be a secret.', "Write credentials: { username: secret('REGISTRY_USER'), password: secret('REGISTRY_PASSWORD') }, or credentials: 'github-token' for ghcr.io.");
  if (isSecret(username)) return { kind: 'account', username: { kind: 'secret', name: username.name }, password: { kind: 'secret', name: password.name } };
  if (typeof username !== 'string' || !REGISTRY_USER.test(username)) return problem('The registry user name must be a secret or a plain account name.', 'Use letters, digits and . _ @ + - (at most 128), or secret(...).');
  return { kind: 'account', username: { kind: 'literal', value: username }, password: { kind: 'secret', name: password.name } };
}
