// The CLI tests spawn the built binary: rebuild dist/ first so it never runs stale code (a few seconds: the JavaScript, the CLI bundle and the declarations `sluice check` reads).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  execFileSync(process.execPath, [fileURLToPath(new URL('../scripts/build.mjs', import.meta.url))], { stdio: 'inherit' });
}
