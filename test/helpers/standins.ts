/**
 * Stand-in commands (dbt, aws, gcloud, curl, ...) for running generated scripts without the real
 * tools: each records its argv as one JSON line and exits as the test says. Behaviour per command,
 * through files in the stand-in directory:
 * - `<name>.fail`: how many calls of <name> fail (exit 1) before calls succeed ("always" for every call);
 * - `<name>.sleep`: seconds each call sleeps (to be interrupted by signals);
 * - `rules.json`: per-argv behaviour (see StandInRule);
 * - `calls.jsonl`: one line per call, {"command": name, "argv": [...], "signal": "SIGINT"?}.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const STANDIN = `#!/usr/bin/env python3
import json, os, signal, sys, time
here = os.path.dirname(os.path.abspath(__file__))
name = os.path.basename(sys.argv[0])
log = os.path.join(here, "calls.jsonl")
record = {"command": name, "argv": sys.argv[1:]}
def on_signal(number, frame):
    record["signal"] = signal.Signals(number).name
    with open(log, "a") as handle:
        handle.write(json.dumps(record) + "\\n")
    sys.exit(130 if number == signal.SIGINT else 143)
signal.signal(signal.SIGINT, on_signal)
signal.signal(signal.SIGTERM, on_signal)
counter = os.path.join(here, name + ".count")
calls = int(open(counter).read()) + 1 if os.path.exists(counter) else 1
open(counter, "w").write(str(calls))
sleep_file = os.path.join(here, name + ".sleep")
sleep_for = float(open(sleep_file).read()) if os.path.exists(sleep_file) else 0
rules_path = os.path.join(here, "rules.json")
if os.path.exists(rules_path):
    for rule in json.load(open(rules_path)):
        if rule.get("sleep") and rule["match"] in " ".join([name] + sys.argv[1:]):
            sleep_for = rule["sleep"]
        if rule.get("ignoreSignals") and rule["match"] in " ".join([name] + sys.argv[1:]):
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
if sleep_for:
    with open(log, "a") as handle:
        handle.write(json.dumps({"command": name, "argv": sys.argv[1:], "started": True}) + "\\n")
    time.sleep(sleep_for)
with open(log, "a") as handle:
    handle.write(json.dumps(record) + "\\n")
fail_file = os.path.join(here, name + ".fail")
if os.path.exists(fail_file):
    fails = open(fail_file).read().strip()
    if fails == "always" or calls <= int(fails):
        sys.exit(1)
# aws: with an "aws-copy" marker, the bucket has state: "s3 ls" finds it and "s3 cp" writes the file;
# without it, "s3 ls" finds nothing (exit 1), as for a first run.
if name == "aws" and sys.argv[1:3] == ["s3", "ls"] and not os.path.exists(os.path.join(here, "aws-copy")):
    sys.exit(1)
if name == "aws" and sys.argv[1:3] == ["s3", "cp"] and os.path.exists(os.path.join(here, "aws-copy")) and not sys.argv[-1].startswith("s3://"):
    target = sys.argv[-1]
    os.makedirs(os.path.dirname(target) or ".", exist_ok=True)
    open(target, "w").write("{}")
rules_file = os.path.join(here, "rules.json")
if os.path.exists(rules_file):
    line = " ".join([name] + sys.argv[1:])
    for rule in json.load(open(rules_file)):
        if rule["match"] in line:
            matched = os.path.join(here, "rule-%d.count" % rule["id"])
            seen = int(open(matched).read()) + 1 if os.path.exists(matched) else 1
            open(matched, "w").write(str(seen))
            if rule.get("fail") == "always" or (isinstance(rule.get("fail"), int) and seen <= rule["fail"]):
                sys.exit(1)
`;

export interface StandInRule {
  /** Applies when `command arg1 arg2 ...` contains this text. */
  match: string;
  /** How many matching calls fail ('always': all). */
  fail?: number | 'always';
  /** Seconds a matching call sleeps before finishing (to be interrupted). */
  sleep?: number;
  /** A matching call ignores SIGINT and SIGTERM (only SIGKILL ends it), like a hung program. */
  ignoreSignals?: boolean;
}

export interface StandIns {
  dir: string;
  rules(rules: readonly StandInRule[]): void;
  /** PATH with the stand-ins first. */
  path: string;
  failTimes(command: string, times: number | 'always'): void;
  sleep(command: string, seconds: number): void;
  calls(): { command: string; argv?: string[]; signal?: string; started?: boolean }[];
}

export function makeStandIns(commands: readonly string[] = ['dbt', 'aws', 'gcloud', 'gsutil', 'curl', 'sluice-step']): StandIns {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-standins-'));
  for (const command of commands) {
    writeFileSync(join(dir, command), STANDIN);
    chmodSync(join(dir, command), 0o755);
  }
  return {
    dir,
    path: `${dir}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    rules: (rules) => writeFileSync(join(dir, 'rules.json'), JSON.stringify(rules.map((rule, id) => ({ ...rule, id })))),
    failTimes: (command, times) => writeFileSync(join(dir, `${command}.fail`), String(times)),
    sleep: (command, seconds) => writeFileSync(join(dir, `${command}.sleep`), String(seconds)),
    calls: () => {
      const log = join(dir, 'calls.jsonl');
      if (!existsSync(log)) return [];
      return readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line));
    },
  };
}
