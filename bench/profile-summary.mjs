// Summarises a V8 CPU profile (node --cpu-prof) by where the time went: self time per script (and
// per V8 category: GC, compilation, program), largest first. Usage: node bench/profile-summary.mjs FILE.cpuprofile [N]
import { readFileSync } from 'node:fs';

const [file, top = '15'] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/profile-summary.mjs FILE.cpuprofile [N]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfMs = new Map();
// timeDeltas[i] is the time before samples[i]: attribute it to that sample's node.
for (let i = 0; i < profile.samples.length; i++) {
  const node = byId.get(profile.samples[i]);
  const { url, functionName } = node.callFrame;
  const key = url ? url.replace(/^file:\/\/.*?node_modules\//, 'node_modules/').replace(/^file:\/\/.*?\/packages\//, 'packages/') : `(${functionName || 'anonymous'})`;
  selfMs.set(key, (selfMs.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
}
const total = (profile.endTime - profile.startTime) / 1000;
console.log(`total ${total.toFixed(1)} ms`);
for (const [key, ms] of [...selfMs].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) console.log(`${ms.toFixed(1).padStart(8)} ms  ${key}`);
