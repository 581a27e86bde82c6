import { DIAGNOSTIC_CODES, type Diagnostic, type SluiceIR } from '@sluice/sdk';

/** GitHub-artifact state exists only on GitHub Actions: other targets refuse it, naming the way out. */
export function githubOnlyRefusals(ir: SluiceIR, target: string): Diagnostic[] {
  return ir.pipelines.flatMap((pipeline) =>
    pipeline.steps
      .filter((step) => step.command.kind === 'github-artifact-save' || step.command.kind === 'github-artifact-load')
      .map((step) => ({
        code: DIAGNOSTIC_CODES.TARGET_UNSUPPORTED,
        message: `Step '${step.id}' keeps dbt state as a GitHub artifact, which exists only on GitHub Actions.`,
        hint: "Use state.s3('s3://...') or state.gcs('gs://...') for pipelines that also run on " + target + '.',
        path: [`pipeline ${pipeline.name}`, `step ${step.id}`, `target ${target}`],
        ...(step.source ? { location: step.source } : {}),
      })),
  );
}
