/**
 * Step conditions as bash, over the statuses the script records: prints the normal form
 * (`@sluice/sdk/ir` condition-form) atom by atom. A condition that may not run after a cancellation
 * is prefixed with `sluice_live &&`; in one that may, each status check carries its own
 * `sluice_live` (the form's `live` atoms); `prepared` reads SLUICE_PREPARED, which a failed set-up
 * clears (runner.sh.hbs, sluice_setup_failed). Only step ids (validated identifiers, quoted anyway)
 * appear in the code.
 */
import { foldCondition, type ConditionAtom, type NormalCondition } from '@sluice/sdk/ir';
import { shellQuote } from './shell.js';

export function bashCondition(condition: NormalCondition): string {
  const body = foldCondition<string>(condition.form, {
    constant: (value) => (value ? 'true' : 'false'),
    atom,
    and: (parts) => group(parts, ' && '),
    or: (parts) => group(parts, ' || '),
    not: (part) => `! { ${part}; }`,
  });
  return condition.afterCancel ? body : `sluice_live && ${body}`;
}

function atom(atom: ConditionAtom): string {
  switch (atom.atom) {
    case 'ended':
      return `sluice_is ${shellQuote(atom.step)} ${atom.status}`;
    case 'live':
      return 'sluice_live';
    case 'prepared':
      return 'sluice_prepared';
  }
}

function group(parts: string[], operator: string): string {
  return parts.length === 1 ? (parts[0] as string) : `{ ${parts.join(operator)}; }`;
}
