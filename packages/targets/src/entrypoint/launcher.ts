/**
 * The launcher: the one file an image needs so that a change to pipeline.ts never needs a new image.
 * It holds no selection, step or input of any pipeline: at start it finds the project (a mounted
 * checkout, or a git ref fetched then), and execs that project's own generated entrypoint. The image
 * carries dbt, the adapter and this launcher; the pipelines travel with the code.
 *
 * Its only project-specific values are two paths from the config, printed through `shellQuote`.
 * Everything that varies per run (repository, ref, token) arrives as environment and is only ever
 * expanded inside double quotes, checked, and passed as argv.
 */
import { shellQuote } from '../shared/shell.js';

export interface LauncherOptions {
  /** The generated entrypoint, relative to the project root. */
  entrypointPath: string;
  /** The dbt project, relative to the project root (`dbt deps` runs there). */
  dbtProjectDir: string;
  /** The generated-file header, as bash comment lines (headerComment). */
  header: string;
}

export function launcherPath(entrypointPath: string): string {
  const slash = entrypointPath.lastIndexOf('/');
  return `${slash < 0 ? '' : entrypointPath.slice(0, slash + 1)}sluice-launch.sh`;
}

export function renderLauncher(options: LauncherOptions): string {
  return `#!/usr/bin/env bash
${options.header}#
# Usage: sluice-launch.sh <pipeline> [--input name=value ...] [--dry-run]
# Bake this file (not entrypoint.sh) into the image, with dbt and the adapter. At start it finds the
# project, so changing a selection is a commit, not a new image:
#   SLUICE_PROJECT_DIR      a mounted checkout of the repository (default: /project when it exists)
#   SLUICE_GIT_URL          or a repository to fetch at start (https://, ssh:// or file://) ...
#   SLUICE_GIT_REF          ... and the branch, tag or full commit SHA to run
#   SLUICE_GIT_TOKEN        optional: an HTTPS token, sent as a header (never on a command line)
# Then it runs \`dbt deps\` when the project has packages, and execs the project's own entrypoint,
# which handles signals itself (safe as PID 1).
# Exit codes: those of entrypoint.sh (1 when dbt deps failed); 2 when the project cannot be found or fetched.
set -Eeuo pipefail

entrypoint_path=${shellQuote(options.entrypointPath)}
dbt_project_dir=${shellQuote(options.dbtProjectDir)}

# Safe as PID 1 until the exec: what runs before it (git, dbt deps) runs in the background and is
# waited for, so a SIGTERM or SIGINT is handled at once, not when the fetch happens to end.
sluice_launch_child=''
sluice_launch_stop() {
  if [ -n "$sluice_launch_child" ]; then kill -TERM "$sluice_launch_child" 2>/dev/null || true; fi
  exit "$1"
}
trap 'sluice_launch_stop 143' TERM
trap 'sluice_launch_stop 130' INT
sluice_launch_run() {
  local status=0
  "$@" &
  sluice_launch_child=$!
  wait "$sluice_launch_child" || status=$?
  sluice_launch_child=''
  return "$status"
}

sluice_launch_fail() {
  printf 'sluice-launch: %s\\n' "$1" >&2
  exit 2
}

sluice_launch_fetch() {
  local url="$1" ref="$2" dir
  case "$url" in
    https://* | ssh://* | file://*) ;;
    *) sluice_launch_fail "SLUICE_GIT_URL must start with https://, ssh:// or file://" ;;
  esac
  # A ref is a name or a SHA, never an option: nothing that starts with '-' reaches git.
  if [[ ! "$ref" =~ ^[A-Za-z0-9_][A-Za-z0-9._/-]*$ ]] || [[ "$ref" == *..* ]]; then
    sluice_launch_fail "SLUICE_GIT_REF is not a branch, tag or commit SHA"
  fi
  dir="$(mktemp -d)"
  if [ -n "\${SLUICE_GIT_TOKEN:-}" ]; then
    # The token reaches git through its environment-only configuration, so no process list shows it.
    GIT_CONFIG_COUNT=1
    GIT_CONFIG_KEY_0=http.extraHeader
    GIT_CONFIG_VALUE_0="Authorization: Basic $(printf 'x-access-token:%s' "$SLUICE_GIT_TOKEN" | base64 -w0)"
    export GIT_CONFIG_COUNT GIT_CONFIG_KEY_0 GIT_CONFIG_VALUE_0
  fi
  git -C "$dir" init -q
  git -C "$dir" remote add origin "$url"
  if ! sluice_launch_run git -C "$dir" fetch -q --depth 1 origin "$ref"; then
    sluice_launch_fail "could not fetch $ref from the repository (see git's message above)"
  fi
  git -C "$dir" -c advice.detachedHead=false checkout -q FETCH_HEAD
  unset GIT_CONFIG_COUNT GIT_CONFIG_KEY_0 GIT_CONFIG_VALUE_0
  printf 'sluice-launch: running %s at commit %s\\n' "$ref" "$(git -C "$dir" rev-parse HEAD)" >&2
  project="$dir"
}

wants_dbt=1
for argument in "$@"; do
  case "$argument" in
    --help | -h | --dry-run) wants_dbt=0 ;;
  esac
done

project=''
if [ -n "\${SLUICE_GIT_URL:-}" ]; then
  [ -n "\${SLUICE_GIT_REF:-}" ] || sluice_launch_fail "SLUICE_GIT_URL is set but SLUICE_GIT_REF is not: name the branch, tag or commit to run"
  sluice_launch_fetch "$SLUICE_GIT_URL" "$SLUICE_GIT_REF"
elif [ -n "\${SLUICE_PROJECT_DIR:-}" ]; then
  project="$SLUICE_PROJECT_DIR"
elif [ -d /project ]; then
  project=/project
else
  sluice_launch_fail "no project: mount a checkout at /project (or set SLUICE_PROJECT_DIR), or set SLUICE_GIT_URL and SLUICE_GIT_REF"
fi

cd -- "$project" || sluice_launch_fail "cannot enter the project directory"
[ -f "$entrypoint_path" ] || sluice_launch_fail "the project has no $entrypoint_path: run \\\`sluice compile\\\` with the entrypoint target and commit it"
if [ "$wants_dbt" = 1 ] && { [ -f "$dbt_project_dir/packages.yml" ] || [ -f "$dbt_project_dir/dependencies.yml" ]; }; then
  # A failed set-up fails the run without ending it: the entrypoint still runs the failure() and
  # always() steps (the notifier), skips the others and exits 1.
  if ! sluice_launch_run env -C "$dbt_project_dir" dbt deps; then
    printf 'sluice-launch: %s\\n' "dbt deps failed" >&2
    export SLUICE_SETUP_FAILED="dbt deps failed"
  fi
fi
exec bash "$entrypoint_path" "$@"
`;
}
