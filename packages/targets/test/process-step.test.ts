/**
 * How the targets that run a step as a process lower Sluice's own meaning-level commands
 * (shared/process-step.ts): S3/GCS state becomes our bash program with its settings after the step's
 * own env, an S3/GCS upload the CLI's argv; what only one engine can do is left to that engine.
 */
import type { Command, StepIR } from '@sluice/sdk/ir';
import { describe, expect, it } from 'vitest';
import { asProcessStep, isEngineOwnCommand } from '../src/shared/process-step.js';

const userEnv: StepIR['env'] = [{ name: 'AWS_PROFILE', value: { kind: 'literal', value: 'prod' } }];
const step = (command: Command): StepIR => ({ id: 's', label: 'x', command, env: userEnv, needs: [], condition: { op: 'success' }, retries: 0, allowFailure: false, produces: [], consumes: [] });
const literal = (value: string) => ({ kind: 'literal' as const, value });

describe('asProcessStep', () => {
  it("an S3 load of the last run: the probe program, reading the store's last-run/ prefix into the directory", () => {
    const lowered = asProcessStep(step({ kind: 'state-load', store: { kind: 's3', url: 's3://b/p' }, set: 'last-run', dir: 'last-run' }));
    expect(lowered.command.kind === 'script' && lowered.command.script).toContain('aws s3api head-object --bucket "$bucket" --key "$key"');
    expect(lowered.env).toEqual([...userEnv, { name: 'SLUICE_STATE_URL', value: literal('s3://b/p/last-run') }, { name: 'SLUICE_STATE_DIR', value: literal('last-run') }]);
  });

  it('a GCS save: the saver with gcloud copies, from the dbt target directory', () => {
    const lowered = asProcessStep(step({ kind: 'state-save', store: { kind: 'gcs', url: 'gs://b/p' }, from: 'target/sluice/run' }));
    const script = lowered.command.kind === 'script' ? lowered.command.script : '';
    expect(script).toContain('gcloud storage cp "$from/manifest.json" "$SLUICE_STATE_URL/last-run/manifest.json"');
    expect(script).not.toContain('aws ');
    expect(lowered.env).toEqual([...userEnv, { name: 'SLUICE_STATE_URL', value: literal('gs://b/p') }, { name: 'SLUICE_STATE_FROM', value: literal('target/sluice/run') }]);
  });

  it.each([
    [{ kind: 's3' as const, url: 's3://docs/' }, true, ['aws', 's3', 'sync', 'target', 's3://docs/']],
    [{ kind: 's3' as const, url: 's3://docs/index.html' }, false, ['aws', 's3', 'cp', 'target', 's3://docs/index.html']],
    [{ kind: 'gcs' as const, url: 'gs://docs/' }, true, ['gcloud', 'storage', 'rsync', '--recursive', 'target', 'gs://docs/']],
    [{ kind: 'gcs' as const, url: 'gs://docs/index.html' }, false, ['gcloud', 'storage', 'cp', 'target', 'gs://docs/index.html']],
  ])('publish to %j (directory: %s) is the CLI argv, every element one literal argument', (destination, isDirectory, argv) => {
    const lowered = asProcessStep(step({ kind: 'publish', destination, path: 'target', isDirectory }));
    expect(lowered.command).toEqual({ kind: 'argv', argv: argv.map(literal) });
    expect(lowered.env).toEqual(userEnv);
  });

  it.each<Command>([
    { kind: 'state-load', store: { kind: 'github-artifact', pipeline: 'full' }, set: 'last-success', dir: 'prod-state' },
    { kind: 'state-save', store: { kind: 'github-artifact', pipeline: 'full', branch: 'main' }, from: 'target/sluice/run' },
    { kind: 'publish', destination: { kind: 'pages', publishAs: 'index.html' }, path: 'target/x.html', isDirectory: false },
  ])("an engine's own command is left to that engine: %j", (command) => {
    const original = step(command);
    expect(isEngineOwnCommand(command)).toBe(true);
    expect(asProcessStep(original)).toBe(original);
  });

  it.each<Command>([
    { kind: 'argv', argv: [literal('dbt'), literal('build')] },
    { kind: 'script', script: 'echo hi\n' },
    { kind: 'notify-slack', webhookSecret: 'SLACK' },
  ])('every other command is returned as it is: %j', (command) => {
    const original = step(command);
    expect(isEngineOwnCommand(command)).toBe(false);
    expect(asProcessStep(original)).toBe(original);
  });
});
