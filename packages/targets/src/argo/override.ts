/**
 * `targets.argo.override`, run once per generated object: the override gets its own copy, its result
 * is snapshotted to plain data (what is checked is what is written), the policy of
 * `override-policy.ts` runs on that snapshot, and Argo's published schema
 * (`@kubernetes-models/argo-workflows`, loaded only when an override ran) judges it last.
 */
import { DIAGNOSTIC_CODES, type ArgoTargetConfig, type Diagnostic } from '@sluice/sdk/ir';
import { overridePolicyProblems } from './override-policy.js';
import { snapshotPlainData, type PlainData } from '../shared/plain-data.js';

export interface Overridden {
  object?: PlainData;
  diagnostics: Diagnostic[];
}

type Override = NonNullable<ArgoTargetConfig['override']>;

export function applyArgoOverride(override: Override, generated: object, pipeline: string): Overridden {
  const kind = (generated as { kind: string }).kind;
  const problem = (where: string, text: string, hint = 'Change the override so the manifest keeps these guarantees (see docs: the escape hatch).'): Diagnostic => ({
    code: DIAGNOSTIC_CODES.OVERRIDE_UNSAFE,
    message: `targets.argo.override for pipeline '${pipeline}' (${kind}): ${where} ${text}.`,
    hint,
    path: ['sluice.config.ts', 'targets.argo.override', `pipeline ${pipeline}`, kind, where],
  });
  const ours = structuredClone(generated) as Record<string, PlainData>;
  let returned: unknown;
  try {
    returned = override(structuredClone(ours) as Record<string, unknown>, { pipeline, kind });
  } catch (error) {
    const reason = error instanceof Error ? error.message : typeof error === 'string' ? error : 'a non-Error value';
    return { diagnostics: [problem('(the override)', `threw: ${reason.split('\n')[0]}`, 'Fix the override; it must return the object to write.')] };
  }
  const snapshot = snapshotPlainData(returned);
  if (!snapshot.ok) return { diagnostics: [problem(snapshot.at, `${snapshot.reason}; an override must return plain data (objects, arrays, strings, numbers, booleans)`)] };
  const problems = overridePolicyProblems(snapshot.value, { kind, generated: ours });
  if (problems.length > 0) {
    return {
      diagnostics: problems.map((text) => {
        const [where, ...rest] = text.split(': ');
        return problem(where as string, rest.join(': '));
      }),
    };
  }
  return { object: snapshot.value, diagnostics: [] };
}

/** Argo's published schema over the overridden objects; an import, so only paid for when an override ran. */
export async function argoSchemaDiagnostics(objects: readonly { pipeline: string; object: PlainData }[]): Promise<Diagnostic[]> {
  if (objects.length === 0) return [];
  const { CronWorkflow, WorkflowTemplate } = await import('@kubernetes-models/argo-workflows/argoproj.io/v1alpha1');
  const diagnostics: Diagnostic[] = [];
  for (const { pipeline, object } of objects) {
    const kind = (object as { kind?: unknown }).kind;
    try {
      if (kind === 'WorkflowTemplate') new WorkflowTemplate(object as never).validate();
      else new CronWorkflow(object as never).validate();
    } catch (error) {
      diagnostics.push({
        code: DIAGNOSTIC_CODES.OVERRIDE_UNSAFE,
        message: `targets.argo.override for pipeline '${pipeline}' (${String(kind)}): Argo's schema rejects the result: ${error instanceof Error ? error.message : String(error)}.`,
        hint: 'Change the override so the object is a valid Argo Workflows manifest.',
        path: ['sluice.config.ts', 'targets.argo.override', `pipeline ${pipeline}`, String(kind)],
      });
    }
  }
  return diagnostics;
}
