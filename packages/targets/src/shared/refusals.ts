import { DIAGNOSTIC_CODES, type Diagnostic, type SluiceIR } from '@sluice/sdk/ir';
import { isEngineOwnCommand } from './process-step.js';

/** GitHub artifacts and Pages exist only on GitHub Actions: other targets refuse them, naming the way out. */
export function githubOnlyRefusals(ir: SluiceIR, target: string): Diagnostic[] {
  return ir.pipelines.flatMap((pipeline) =>
    pipeline.steps.flatMap((step) => {
      const command = step.command;
      if (!isEngineOwnCommand(command)) return [];
      const pages = command.kind === 'publish';
      return [
        {
          code: DIAGNOSTIC_CODES.TARGET_UNSUPPORTED,
          message: pages ? `Step '${step.id}' publishes to the repository's Pages site, which only GitHub Actions and GitLab CI/CD host.` : `Step '${step.id}' keeps dbt state as a GitHub artifact, which exists only on GitHub Actions.`,
          hint: pages
            ? `Publish the docs with upload.s3({ from: docs.site, to }) or upload.gcs(...) for pipelines that also run on ${target}.`
            : "Use state.s3('s3://...') or state.gcs('gs://...') for pipelines that also run on " + target + '.',
          path: [`pipeline ${pipeline.name}`, `step ${step.id}`, `target ${target}`],
          ...(step.source ? { location: step.source } : {}),
        },
      ];
    }),
  );
}

/** For a switch over command kinds in a target that refused GitHub-only steps before emitting. */
export function refusedGithubOnlyStep(): never {
  throw new Error('refused before emitting: GitHub artifacts and Pages exist only on GitHub Actions');
}
