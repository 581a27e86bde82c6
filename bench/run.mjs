// `npm run bench`: compile speed and scaling, side by side with a peer generator. Prints a Markdown
// report and writes it to BENCHMARKS.md with the machine's description. Plain Node, built dist/.
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, type as osType, release } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parse } from 'yaml';

const root = new URL('..', import.meta.url).pathname;
const quick = process.argv.includes('--quick');
execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit' });

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fmt = (ms) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
const lines = [];
const say = (line = '') => {
  lines.push(line);
  console.log(line);
};

// --- Cold CLI ------------------------------------------------------------------------------------
const runs = quick ? 5 : 12;
const example = join(root, 'examples/dbt-metric');
const cli = [join(root, 'packages/compiler/bin/sluice.js'), 'compile', '--check'];
const time = (args, cwd) => {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, { cwd, stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}`);
  return performance.now() - start;
};
for (let i = 0; i < 2; i += 1) {
  time(['-e', '0'], root);
  time(cli, example);
}
const floor = [];
const cold = [];
for (let i = 0; i < runs; i += 1) {
  floor.push(time(['-e', '0'], root));
  cold.push(time(cli, example));
}
const coldRatio = median(cold) / median(floor);

say('# Benchmarks');
say();
say(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${osType()} ${release()}, Node ${process.version}.`);
say(`Written by \`npm run bench\`${quick ? ' --quick' : ''}; figures vary with the machine's load, ratios less so.`);
say();
say('## Cold CLI');
say();
say(`\`sluice compile --check\` on examples/dbt-metric (3 pipelines × GitHub, Argo, entrypoint), ${runs} runs after a warm-up, interleaved with the floor \`node -e 0\`.`);
say();
say('| command | median ms | min | max |');
say('| --- | ---: | ---: | ---: |');
say(`| \`node -e 0\` (floor) | ${fmt(median(floor))} | ${fmt(Math.min(...floor))} | ${fmt(Math.max(...floor))} |`);
say(`| \`sluice compile --check\` | ${fmt(median(cold))} | ${fmt(Math.min(...cold))} | ${fmt(Math.max(...cold))} |`);
say();
say(`Ratio compile / floor: **${coldRatio.toFixed(2)}x** (target ≤ 2.0x).`);
say();

// --- Scaling and the peer --------------------------------------------------------------------------
const sizes = quick ? [10, 100, 1000] : [10, 100, 1000, 5000];
const results = [];
for (const target of ['github', 'argo', 'entrypoint']) {
  for (const shape of ['chain', 'fanout']) {
    for (const steps of sizes) {
      const args = [join(root, 'bench/scale-worker.mjs'), target, shape, String(steps), ...(target === 'github' ? ['--peer'] : [])];
      const output = execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
      results.push(JSON.parse(output));
    }
  }
}
say('## Scaling (in-process compile: lower + validate + emit)');
say();
say('Synthetic pipelines: a chain (each step needs the previous one) and a fan-out (every step needs the first). Median of several runs in a fresh process per row; peak RSS of that process.');
say();
say('| target | shape | steps | median ms | peak RSS MB | output KB | peer ms | ours / peer |');
say('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const row of results) {
  const peer = row.peer ? fmt(row.peer.medianMs) : '';
  const ratio = row.peer ? (row.ours.medianMs / row.peer.medianMs).toFixed(2) : '';
  say(`| ${row.target} | ${row.shape} | ${row.steps} | ${fmt(row.ours.medianMs)} | ${row.peakRssMb.toFixed(0)} | ${(row.ours.bytes / 1024).toFixed(0)} | ${peer} | ${ratio} |`);
}
say();
const largest = sizes[sizes.length - 1];
const growth = [];
for (const target of ['github', 'argo', 'entrypoint']) {
  for (const shape of ['chain', 'fanout']) {
    const at = (steps) => results.find((row) => row.target === target && row.shape === shape && row.steps === steps);
    if (largest === 5000) growth.push({ target, shape, ratio: at(5000).ours.medianMs / at(1000).ours.medianMs, ms: at(5000).ours.medianMs, rss: at(5000).peakRssMb });
  }
}
if (growth.length > 0) {
  say('| target | shape | t(5,000) / t(1,000) (target ≤ 6) | t(5,000) ms (target < 500) | peak RSS MB (target < 200) |');
  say('| --- | --- | ---: | ---: | ---: |');
  for (const row of growth) say(`| ${row.target} | ${row.shape} | ${row.ratio.toFixed(2)} | ${fmt(row.ms)} | ${row.rss.toFixed(0)} |`);
  say();
}
say('The peer is `@github-actions-workflow-ts/lib` building the same one-job workflow (one step per pipeline step, with the same `if:`), serialised with the `yaml` package; it does no validation, no lowering and no condition semantics, so the ratio compares a whole compiler with a builder plus a serialiser.');
say();

// --- Generated pipeline efficiency -------------------------------------------------------------------
say('## Generated pipeline efficiency (GitHub Actions)');
say();
say('| example | pipeline | jobs | environment set-ups per run | dependency caching |');
say('| --- | --- | ---: | ---: | --- |');
for (const name of readdirSync(join(root, 'examples')).sort()) {
  let files = [];
  try {
    files = readdirSync(join(root, 'examples', name, '.github/workflows')).sort();
  } catch {
    continue;
  }
  for (const file of files) {
    const workflow = parse(readFileSync(join(root, 'examples', name, '.github/workflows', file), 'utf8'));
    const jobs = Object.values(workflow.jobs);
    const setups = jobs.filter((job) => job.steps.some((step) => String(step.uses ?? '').startsWith('actions/checkout@'))).length;
    const cached = jobs.every((job) => job.steps.some((step) => String(step.uses ?? '').startsWith('actions/setup-python@') && step.with?.cache));
    say(`| ${name} | ${file.replace(/\.yml$/, '')} | ${jobs.length} | ${setups} | ${cached ? 'pip (setup-python cache)' : 'none'} |`);
  }
}
say();
writeFileSync(join(root, 'BENCHMARKS.md'), `${lines.join('\n')}\n`);
