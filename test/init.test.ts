/**
 * `sluice init` and `sluice check` on repositories shaped like real ones: a Snowflake profile that
 * reads its credentials with env_var(), a repository whose CI calls dbt Cloud (no dbt in
 * requirements.txt), and hostile names in profiles.yml.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { missingDbtAdvice, profileEnvVars, readDbtRequirements } from '../packages/compiler/src/dbt-project.js';
import { makeProject, SLUICE_BIN } from './helpers/project.js';

function sluice(cwd: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [SLUICE_BIN, ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const SNOWFLAKE_PROFILES = `metric:
  target: dev
  outputs:
    dev:
      type: snowflake
      account: "{{ env_var('SNOWFLAKE_ACCOUNT') }}"
      user: "{{ env_var('DBT_USER', 'me') }}"
      password: "{{ env_var('DBT_ENV_SECRET_PASSWORD') }}"
      warehouse: "{{ env_var(\\"SNOWFLAKE_WAREHOUSE\\", 'dev_wh') }}"
    prod:
      type: snowflake
      account: "{{ env_var('SNOWFLAKE_ACCOUNT') }}"
      user: "{{ env_var('DBT_USER') }}"
      password: "{{ env_var('DBT_ENV_SECRET_PASSWORD') }}"
      role: "{{ env_var( 'SNOWFLAKE_ROLE' ,'transformer') }}"
    other:
      type: snowflake
      password: "{{ env_var('NEVER_USED_BY_CI_OR_PROD') }}"
`;

function dbtRepo(files: Record<string, string>): string {
  const dir = makeProject({ 'dbt_project.yml': 'name: metric\nprofile: metric\n', ...files });
  rmSync(join(dir, 'sluice.config.ts'));
  return dir;
}

describe('profiles.yml env_var() names', () => {
  it('declares exactly the variables the prod and CI targets read without a default', () => {
    const vars = profileEnvVars(parse(SNOWFLAKE_PROFILES), 'metric', ['prod', 'dev']);
    expect(vars).toEqual([
      { name: 'DBT_ENV_SECRET_PASSWORD', hasDefault: false },
      // Read with a default by dev but without one by prod: required.
      { name: 'DBT_USER', hasDefault: false },
      { name: 'SNOWFLAKE_ACCOUNT', hasDefault: false },
      { name: 'SNOWFLAKE_ROLE', hasDefault: true },
      { name: 'SNOWFLAKE_WAREHOUSE', hasDefault: true },
    ]);
  });

  it('init writes those secrets under their own names, and the result compiles and checks clean', () => {
    const dir = dbtRepo({ 'profiles.yml': SNOWFLAKE_PROFILES, 'requirements.txt': 'dbt-snowflake~=1.9.0\n' });
    const init = sluice(dir, 'init');
    expect(init.code, init.stderr).toBe(0);
    const source = readFileSync(join(dir, 'pipeline.ts'), 'utf8');
    expect(source).toContain('DBT_ENV_SECRET_PASSWORD: secret("DBT_ENV_SECRET_PASSWORD"),');
    expect(source).toContain('DBT_USER: secret("DBT_USER"),');
    expect(source).toContain('SNOWFLAKE_ACCOUNT: secret("SNOWFLAKE_ACCOUNT"),');
    expect(source).not.toContain('SNOWFLAKE_ROLE');
    expect(source).not.toContain('NEVER_USED_BY_CI_OR_PROD');
    expect(source).not.toContain("secret('DBT_PASSWORD')");
    expect(init.stdout).toContain('declared DBT_ENV_SECRET_PASSWORD, DBT_USER, SNOWFLAKE_ACCOUNT as secrets');
    const compiled = sluice(dir, 'compile');
    expect(compiled.code, compiled.stderr).toBe(0);
    const slim = readFileSync(join(dir, '.github/workflows/slim.yml'), 'utf8');
    expect(slim).toContain('DBT_ENV_SECRET_PASSWORD: ${{ secrets.DBT_ENV_SECRET_PASSWORD }}');
    const check = sluice(dir, 'check');
    expect(check.code, check.stderr).toBe(0);
  });

  it('a name in profiles.yml never becomes code: hostile target names are string literals', () => {
    const hostile = `metric:
  target: "x'); process.exit(7); ('"
  outputs:
    "x'); process.exit(7); ('":
      type: postgres
      password: "{{ env_var('PG_PASSWORD') }}"
      user: "{{ env_var('evil\\u2028name') }}"
`;
    const dir = dbtRepo({ 'profiles.yml': hostile, 'requirements.txt': 'dbt-postgres\n' });
    expect(sluice(dir, 'init').code).toBe(0);
    const source = readFileSync(join(dir, 'pipeline.ts'), 'utf8');
    expect(source).toContain(JSON.stringify("x'); process.exit(7); ('"));
    expect(source).not.toContain('evil');
    // The target name is not a valid dbt target, but the module runs: the error is a coded one, not exit 7.
    const compiled = sluice(dir, 'compile');
    expect(compiled.code).not.toBe(7);
    expect(`${compiled.stdout}${compiled.stderr}`).not.toMatch(/\n\s+at /);
  });
});

describe('the slim pipeline init writes works as written', () => {
  it('it loads production state, defers to it, and checks clean (a state: selector with its state)', () => {
    const dir = dbtRepo({ 'profiles.yml': 'metric:\n  target: dev\n  outputs:\n    dev: { type: duckdb }\n    prod: { type: duckdb }\n', 'requirements.txt': 'dbt-duckdb\n' });
    expect(sluice(dir, 'init').code).toBe(0);
    const source = readFileSync(join(dir, 'pipeline.ts'), 'utf8');
    expect(source).toMatch(/select: 'state:modified\+', defer: true, state: prodState/);
    expect(sluice(dir, 'compile').code).toBe(0);
    const slim = readFileSync(join(dir, '.github/workflows/slim.yml'), 'utf8');
    expect(slim).toMatch(/--defer/);
    expect(slim).toMatch(/--state/);
    const full = readFileSync(join(dir, '.github/workflows/full.yml'), 'utf8');
    expect(full).toContain('actions/upload-artifact@');
    const plan = sluice(dir, 'plan', 'slim');
    expect(plan.code, plan.stderr).toBe(0);
    expect(sluice(dir, 'check').code).toBe(0);
  });
});

describe('a runtime with no dbt to run', () => {
  it('reads requirements the way pip does: names case- and separator-insensitive, -r includes, comments', () => {
    const dir = makeProject({
      'requirements.txt': '# tools\nsqlfluff==3.0\n-r requirements/dbt.txt\n',
      'requirements/dbt.txt': 'DBT_Snowflake>=1.8  # the adapter\n-r ../requirements.txt\n',
      'core-only.txt': 'dbt-core==1.9.0\ndbt-checkpoint\n',
      'cloud.txt': 'dbt-cloud-cli\nrequests\n',
    });
    expect(readDbtRequirements(join(dir, 'requirements.txt'))).toEqual({ readable: true, core: false, adapters: ['dbt-snowflake'] });
    expect(missingDbtAdvice(readDbtRequirements(join(dir, 'core-only.txt')), 'core-only.txt', 'bigquery')?.hint).toContain('dbt-bigquery');
    expect(missingDbtAdvice(readDbtRequirements(join(dir, 'cloud.txt')), 'cloud.txt', undefined)?.message).toContain('installs no dbt');
    expect(missingDbtAdvice(readDbtRequirements(join(dir, 'missing.txt')), 'missing.txt', undefined)).toBeUndefined();
  });

  it('init says what to add, and check fails with SLUICE_E_NO_DBT_RUNTIME at the pipeline', () => {
    // The shape of dbt-labs/jaffle-shop: CI calls dbt Cloud, so requirements.txt has no dbt.
    const dir = dbtRepo({ 'profiles.yml': 'metric:\n  target: dev\n  outputs:\n    dev: { type: snowflake }\n', 'requirements.txt': 'dbt-cloud-cli\npre-commit\n' });
    const init = sluice(dir, 'init');
    expect(init.code).toBe(0);
    expect(init.stdout).toContain("requirements.txt installs no dbt: every step would fail with 'dbt: command not found'. Add dbt-snowflake");
    const check = sluice(dir, 'check', '--json');
    expect(check.code).toBe(1);
    const parsed = JSON.parse(check.stdout) as { diagnostics: { code: string; location?: { file: string; line: number } }[] };
    expect(parsed.diagnostics.map((d) => d.code)).toEqual(['SLUICE_E_NO_DBT_RUNTIME']);
    expect(parsed.diagnostics[0]?.location?.file).toBe('pipeline.ts');
    const human = sluice(dir, 'check');
    expect(human.stderr).toContain('SLUICE_E_NO_DBT_RUNTIME');
    expect(human.stderr).not.toMatch(/\n\s+at /);
  });
});
