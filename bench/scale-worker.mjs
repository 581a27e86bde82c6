// One scaling measurement in a fresh process (so peak RSS is this measurement's own):
//   node bench/scale-worker.mjs <target> <chain|fanout> <steps> [--peer]
// Prints JSON: median and spread of in-process compile time (lower + validate + emit), output
// bytes, peak RSS; with --peer, the same workflow built with @github-actions-workflow-ts/lib.
import { performance } from 'node:perf_hooks';
import { dbt, pipeline, shell, trigger } from '@sluice/sdk';
import { buildIR, emitFor } from '@sluice/compiler';
import { stringify } from 'yaml';

const [target, shape, stepsArg, peerFlag] = process.argv.slice(2);
const steps = Number(stepsArg);
const iterations = steps >= 1000 ? 7 : 15;

function synthetic() {
  return pipeline('synthetic', {
    triggers: [trigger.manual()],
    steps: () => {
      const declared = {};
      const root = dbt.build({ select: 'tag:root' });
      declared.s0 = root;
      let previous = root;
      for (let index = 1; index < steps; index += 1) {
        const step = shell(['dbt', 'build', '--select', `model_${index}`], { needs: shape === 'chain' ? previous : root });
        declared[`s${index}`] = step;
        previous = step;
      }
      return declared;
    },
  });
}

async function compileOnce() {
  const { ir, diagnostics } = buildIR([synthetic()]);
  if (diagnostics.length > 0) throw new Error(diagnostics[0].message);
  const result = await emitFor(ir, target, { targetOptions: { argo: { image: 'ghcr.io/acme/dbt:1.10.2' } } });
  if (!result.ok) throw new Error(result.diagnostics[0].message);
  return result.files.reduce((bytes, file) => bytes + Buffer.byteLength(file.content), 0);
}

let peerLibrary;
async function peerOnce() {
  peerLibrary ??= await import('@github-actions-workflow-ts/lib');
  const { Workflow, NormalJob, Step } = peerLibrary;
  const workflow = new Workflow('synthetic', { name: 'synthetic', on: { workflow_dispatch: {} } });
  const job = new NormalJob('synthetic', { 'runs-on': 'ubuntu-24.04', 'timeout-minutes': 60 });
  for (let index = 0; index < steps; index += 1) {
    const needs = shape === 'chain' ? `s${index - 1}` : 's0';
    job.addStep(new Step({ name: `s${index}`, id: `s${index}`, if: index === 0 ? undefined : `\${{ !cancelled() && steps.${needs}.outcome == 'success' }}`, run: `dbt build --select model_${index}` }));
  }
  workflow.addJob(job);
  return Buffer.byteLength(stringify(workflow.workflow, { lineWidth: 0 }));
}

async function measure(run) {
  await run();
  const times = [];
  let bytes = 0;
  for (let i = 0; i < iterations; i += 1) {
    const start = performance.now();
    bytes = await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { medianMs: times[Math.floor(times.length / 2)], minMs: times[0], maxMs: times[times.length - 1], bytes };
}

const ours = await measure(compileOnce);
const peer = peerFlag === '--peer' ? await measure(peerOnce) : undefined;
process.stdout.write(JSON.stringify({ target, shape, steps, ours, peer, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
