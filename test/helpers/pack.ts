/** The packages as npm would publish them: `npm pack` of each workspace package, from the built dist/. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './project.js';

export const PACKAGES = ['sdk', 'targets', 'compiler'] as const;
export type PackageName = (typeof PACKAGES)[number];

export interface Packed {
  name: string;
  version: string;
  /** Absolute path of the .tgz. */
  tarball: string;
  files: string[];
}

/**
 * Packs every package into `destination` (dist/ was built, declarations included, by the test run's
 * global setup). Scripts are not run: what is packed is exactly what the build left.
 */
export function packPackages(destination: string): Record<PackageName, Packed> {
  const output = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', destination, ...PACKAGES.flatMap((name) => ['--workspace', `packages/${name}`])], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const packed = JSON.parse(output) as { name: string; version: string; filename: string; files: { path: string }[] }[];
  const byName = (name: PackageName): Packed => {
    const entry = packed.find((candidate) => candidate.name === `@sluice/${name}`);
    if (!entry) throw new Error(`npm pack did not pack @sluice/${name}`);
    return { name: entry.name, version: entry.version, tarball: join(destination, entry.filename), files: entry.files.map((file) => file.path) };
  };
  return { sdk: byName('sdk'), targets: byName('targets'), compiler: byName('compiler') };
}
