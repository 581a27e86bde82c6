/**
 * Stand-ins that behave like dbt and the cloud CLIs where Sluice depends on their behaviour: exit
 * codes, messages, and the files they read and write. Unlike standins.ts (argv recorders), these keep
 * state: a bucket is a directory, dbt writes run_results.json and manifest.json where --target-path
 * says, and `dbt retry` reads the previous run_results.json.
 *
 * Cloud answers (read from the CLIs' behaviour and their issue trackers):
 * - aws s3api head-object: 404 -> "An error occurred (404) when calling the HeadObject operation: Not
 *   Found", exit 254; denied -> "(403) ... Forbidden", exit 254; network -> "Could not connect to the
 *   endpoint URL", exit 255.
 * - gcloud storage objects describe: missing -> "ERROR: (gcloud.storage.objects.describe) gs://b/k not
 *   found: 404.", exit 1; denied -> "HTTPError 403: ...", exit 1.
 * - gh api repos/... --jq FILTER: the REST answer through jq; gh run download of a run without
 *   the artifact -> "no valid artifacts found to download", exit 1; not logged in -> exit 4.
 *
 * Modes, as files in the stand-in directory: `<cli>.mode` = ok | denied | network (aws, gcloud, gh);
 * `gh.runs` = the successful run ids, newest first; `dbt.project.json` = { nodes: { name: [children] },
 * failing: [names] }. Calls land in calls.jsonl; dbt adds the nodes it ran.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const COMMON = String.raw`#!/usr/bin/env python3
import json, os, sys, datetime, uuid
here = os.path.dirname(os.path.abspath(__file__))
name = os.path.basename(sys.argv[0])
args = sys.argv[1:]
def log(extra=None):
    record = {"command": name, "argv": args}
    record.update(extra or {})
    with open(os.path.join(here, "calls.jsonl"), "a") as handle:
        handle.write(json.dumps(record) + "\n")
def mode():
    path = os.path.join(here, name + ".mode")
    return open(path).read().strip() if os.path.exists(path) else "ok"
def store(url):
    scheme, rest = url.split("://", 1)
    return os.path.join(here, "store", scheme, rest)
def fail(message, code):
    sys.stderr.write(message + "\n")
    sys.exit(code)
`;

const AWS = `${COMMON}
log()
m = mode()
if m == "network":
    fail('Could not connect to the endpoint URL: "https://acme.s3.eu-west-1.amazonaws.com/"', 255)
if m == "network404":
    fail('Could not connect to the endpoint URL: "https://x/(404)"', 255)
if args[:2] == ["s3api", "head-bucket"]:
    if m == "denied":
        fail("An error occurred (403) when calling the HeadBucket operation: Forbidden", 254)
    if m == "nobucket":
        fail("An error occurred (404) when calling the HeadBucket operation: Not Found", 254)
    sys.exit(0)
if args[:2] == ["s3api", "head-object"]:
    bucket, key = args[args.index("--bucket") + 1], args[args.index("--key") + 1]
    if m == "denied":
        fail("An error occurred (403) when calling the HeadObject operation: Forbidden", 254)
    if not os.path.exists(store("s3://%s/%s" % (bucket, key))):
        fail("An error occurred (404) when calling the HeadObject operation: Not Found", 254)
    print(json.dumps({"ContentLength": 2}))
    sys.exit(0)
if args[:2] == ["s3", "cp"]:
    source, target = [a for a in args[2:] if not a.startswith("--")]
    if m == "denied":
        fail("upload failed: An error occurred (AccessDenied) when calling the PutObject operation: Access Denied", 1)
    src = store(source) if source.startswith("s3://") else source
    dst = store(target) if target.startswith("s3://") else target
    if not os.path.exists(src):
        fail('fatal error: An error occurred (404) when calling the HeadObject operation: Key "%s" does not exist' % source, 1)
    os.makedirs(os.path.dirname(dst) or ".", exist_ok=True)
    open(dst, "w").write(open(src).read())
    sys.exit(0)
if args[:2] == ["s3", "rm"]:
    # DeleteObject answers 204 whether or not the key exists.
    target = [a for a in args[2:] if not a.startswith("--")][0]
    if m == "denied":
        fail("delete failed: %s An error occurred (AccessDenied) when calling the DeleteObject operation: Access Denied" % target, 1)
    if os.path.exists(store(target)):
        os.remove(store(target))
    sys.exit(0)
sys.exit(0)
`;

const GCLOUD = `${COMMON}
log()
m = mode()
if args[:3] == ["storage", "objects", "describe"]:
    url = args[3]
    if m == "network":
        fail("ERROR: (gcloud.storage.objects.describe) There was a problem refreshing your current auth tokens: Failed to establish a new connection", 1)
    if m == "network404":
        fail("ERROR: (gcloud.storage.objects.describe) There was a problem refreshing your current auth tokens: https://oauth2.example/x not found: 404.", 1)
    if m == "denied":
        fail("ERROR: (gcloud.storage.objects.describe) HTTPError 403: dbt@acme.iam.gserviceaccount.com does not have storage.objects.get access to the Google Cloud Storage object.", 1)
    if not os.path.exists(store(url)):
        fail("ERROR: (gcloud.storage.objects.describe) %s not found: 404." % url, 1)
    print("name: " + url)
    sys.exit(0)
if args[:2] == ["storage", "cp"]:
    paths = args[2:]
    target = paths[-1]
    for source in paths[:-1]:
        src = store(source) if source.startswith("gs://") else source
        dst = store(target) if target.startswith("gs://") else target
        if target.endswith("/"):
            dst = os.path.join(dst, os.path.basename(source))
        if not os.path.exists(src):
            fail("ERROR: (gcloud.storage.cp) The following URLs matched no objects or files:\\n-%s" % source, 1)
        os.makedirs(os.path.dirname(dst) or ".", exist_ok=True)
        open(dst, "w").write(open(src).read())
    sys.exit(0)
if args[:2] == ["storage", "rm"]:
    url = args[2]
    if not os.path.exists(store(url)):
        fail("ERROR: (gcloud.storage.rm) The following URLs matched no objects or files:\\n-%s" % url, 1)
    os.remove(store(url))
    sys.exit(0)
sys.exit(0)
`;

const GH = `${COMMON}
log()
m = mode()
if m == "denied":
    fail("To use GitHub CLI in a GitHub Actions workflow, set the GH_TOKEN environment variable.", 4)
if m == "network":
    fail('error connecting to api.github.com\\ncheck your internet connection or https://githubstatus.com', 1)
if args[:1] == ["api"]:
    # The REST API as the loader asks it: repos/OWNER/NAME (the default branch, main here), or the
    # saving workflow's successful runs (gh.runs: push runs of this repository on main, newest first),
    # each answered through the real jq with the loader's own --jq filter, as gh does.
    import subprocess
    path = next(arg for arg in args[1:] if arg.startswith("repos/"))
    if "/actions/" in path:
        runs_file = os.path.join(here, "gh.runs")
        ids = json.load(open(runs_file)) if os.path.exists(runs_file) else []
        repo = path.split("/")[1] + "/" + path.split("/")[2]
        runs = [{"id": int(i), "event": "push", "head_branch": "main", "conclusion": "success", "head_repository": {"full_name": repo}, "repository": {"full_name": repo}} for i in ids]
        answer = {"total_count": len(runs), "workflow_runs": runs}
    else:
        answer = {"full_name": path[len("repos/"):], "default_branch": "main"}
    jq = args[args.index("--jq") + 1] if "--jq" in args else "."
    done = subprocess.run(["jq", "-r", jq], input=json.dumps(answer), text=True, capture_output=True)
    sys.stdout.write(done.stdout)
    sys.stderr.write(done.stderr)
    sys.exit(done.returncode)
if args[:2] == ["run", "download"]:
    run_id, artifact, target = args[2], args[args.index("--name") + 1], args[args.index("--dir") + 1]
    source = os.path.join(here, "artifacts", run_id, artifact)
    if not os.path.isdir(source):
        fail("no valid artifacts found to download", 1)
    os.makedirs(target, exist_ok=True)
    for entry in os.listdir(source):
        open(os.path.join(target, entry), "w").write(open(os.path.join(source, entry)).read())
    sys.exit(0)
sys.exit(0)
`;

/**
 * dbt: builds the selected nodes of dbt.project.json in DAG order; a failing node errors and its
 * descendants are skipped (as dbt build does). Selection: none (all), names with a trailing '+',
 * result:error+/result:fail+ with --state, state:modified+ (all, here). \`dbt retry\` re-runs the
 * previous run's error/fail/skipped nodes, read from --state or the target path, as dbt does.
 */
const DBT = `${COMMON}
project = json.load(open(os.path.join(here, "dbt.project.json")))
nodes, failing = project["nodes"], set(project.get("failing", []))
def value(flag):
    return args[args.index(flag) + 1] if flag in args else None
def values(flag):
    if flag not in args:
        return []
    out = []
    for item in args[args.index(flag) + 1:]:
        if item.startswith("--"):
            break
        out.append(item)
    return out
def descendants(name):
    seen, todo = [], [name]
    while todo:
        current = todo.pop(0)
        if current in seen:
            continue
        seen.append(current)
        todo.extend(nodes.get(current, []))
    return seen
target = value("--target-path") or "target"
command = args[0] if args else ""
if command in ("deps", "--version"):
    log()
    sys.exit(0)
if command == "docs":
    os.makedirs(target, exist_ok=True)
    open(os.path.join(target, "static_index.html"), "w").write("<html>docs</html>")
    log()
    sys.exit(0)
if command in project.get("crash", []):
    log({"ran": []})
    fail("Compilation Error: dbt stopped before running any node", 2)
if command == "retry":
    state = value("--state") or target
    try:
        previous = json.load(open(os.path.join(state, "run_results.json")))
    except OSError:
        log({"ran": []})
        fail("Runtime Error: Could not find previous run in '%s' target directory" % state, 2)
    selected = [r["unique_id"].split(".")[-1] for r in previous["results"] if r["status"] in ("error", "fail", "skipped", "runtime error", "partial success")]
else:
    selected = []
    for item in values("--select") or ["*"]:
        if item == "*" or item.startswith("state:"):
            selected = list(nodes)
        elif item.startswith("result:"):
            state = value("--state")
            previous = json.load(open(os.path.join(state, "run_results.json")))
            status = item[len("result:"):].rstrip("+")
            for r in previous["results"]:
                if r["status"] == status:
                    selected += descendants(r["unique_id"].split(".")[-1])
        else:
            selected += descendants(item.rstrip("+")) if item.endswith("+") else [item]
order = [n for n in nodes if n in selected]
results, broken = [], set()
for node in order:
    if node in broken:
        status = "skipped"
    elif node in failing:
        status = "error"
        broken.update(descendants(node)[1:])
    else:
        status = "success"
    results.append({"unique_id": "model.acme." + node, "status": status, "message": "Database Error in model %s" % node if status == "error" else None})
invocation = str(uuid.uuid4())
now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
os.makedirs(target, exist_ok=True)
json.dump({"metadata": {"invocation_id": invocation, "generated_at": now}, "results": results, "args": {"which": command}}, open(os.path.join(target, "run_results.json"), "w"))
json.dump({"metadata": {"invocation_id": invocation, "generated_at": now}, "nodes": {"model.acme." + n: {"name": n, "original_file_path": "models/%s.sql" % n} for n in nodes}}, open(os.path.join(target, "manifest.json"), "w"))
log({"ran": order})
sys.exit(1 if any(r["status"] == "error" for r in results) else 0)
`;

interface DbtProject {
  nodes: Record<string, string[]>;
  failing?: string[];
  /** dbt commands that stop before running any node (no run_results.json written). */
  crash?: string[];
}

interface Call {
  command: string;
  argv: string[];
  ran?: string[];
}

export interface DbtStandIns {
  dir: string;
  path: string;
  mode(cli: 'aws' | 'gcloud' | 'gh', mode: 'ok' | 'denied' | 'network' | 'network404' | 'nobucket'): void;
  project(project: DbtProject): void;
  /** Puts an object into the fake bucket (`s3://b/k`, `gs://b/k`). */
  put(url: string, content: string): void;
  has(url: string): boolean;
  read(url: string): string;
  ghRuns(ids: string[]): void;
  ghArtifact(runId: string, name: string, files: Record<string, string>): void;
  calls(): Call[];
  clearCalls(): void;
}

export function makeDbtStandIns(): DbtStandIns {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-dbt-standins-'));
  for (const [name, program] of [['aws', AWS], ['gcloud', GCLOUD], ['gh', GH], ['dbt', DBT]] as const) {
    writeFileSync(join(dir, name), program);
    chmodSync(join(dir, name), 0o755);
  }
  const storePath = (url: string): string => {
    const [scheme, rest] = url.split('://') as [string, string];
    return join(dir, 'store', scheme, rest);
  };
  const put = (path: string, content: string): void => {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, content);
  };
  return {
    dir,
    path: `${dir}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    mode: (cli, mode) => writeFileSync(join(dir, `${cli}.mode`), mode),
    project: (project) => writeFileSync(join(dir, 'dbt.project.json'), JSON.stringify(project)),
    put: (url, content) => put(storePath(url), content),
    has: (url) => existsSync(storePath(url)),
    read: (url) => readFileSync(storePath(url), 'utf8'),
    ghRuns: (ids) => writeFileSync(join(dir, 'gh.runs'), JSON.stringify(ids)),
    ghArtifact: (runId, name, files) => {
      for (const [file, content] of Object.entries(files)) put(join(dir, 'artifacts', runId, name, file), content);
    },
    calls: () => {
      const log = join(dir, 'calls.jsonl');
      if (!existsSync(log)) return [];
      return readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Call);
    },
    clearCalls: () => writeFileSync(join(dir, 'calls.jsonl'), ''),
  };
}
