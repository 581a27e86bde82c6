/**
 * Stand-in commands (dbt, aws, gcloud, curl, ...) for running generated scripts without the real
 * tools: each records its argv as one JSON line and exits as the test says. Behaviour per command,
 * through files in the stand-in directory:
 * - `<name>.fail`: how many calls of <name> fail (exit 1) before calls succeed ("always" for every call);
 * - `<name>.sleep`: seconds each call sleeps (to be interrupted by signals);
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
if os.path.exists(sleep_file):
    with open(log, "a") as handle:
        handle.write(json.dumps({"command": name, "started": True}) + "\\n")
    time.sleep(float(open(sleep_file).read()))
with open(log, "a") as handle:
    handle.write(json.dumps(record) + "\\n")
fail_file = os.path.join(here, name + ".fail")
if os.path.exists(fail_file):
    fails = open(fail_file).read().strip()
    if fails == "always" or calls <= int(fails):
        sys.exit(1)
`;

export interface StandIns {
  dir: string;
  /** PATH with the stand-ins first. */
  path: string;
  failTimes(command: string, times: number | 'always'): void;
  sleep(command: string, seconds: number): void;
  calls(): { command: string; argv?: string[]; signal?: string; started?: boolean }[];
}

export function makeStandIns(commands: readonly string[] = ['dbt', 'aws', 'gcloud', 'curl']): StandIns {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-standins-'));
  for (const command of commands) {
    writeFileSync(join(dir, command), STANDIN);
    chmodSync(join(dir, command), 0o755);
  }
  return {
    dir,
    path: `${dir}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    failTimes: (command, times) => writeFileSync(join(dir, `${command}.fail`), String(times)),
    sleep: (command, seconds) => writeFileSync(join(dir, `${command}.sleep`), String(seconds)),
    calls: () => {
      const log = join(dir, 'calls.jsonl');
      if (!existsSync(log)) return [];
      return readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line));
    },
  };
}
