/**
 * Step conditions as bash, over the statuses the script records: prints the normal form
 * (`@sluice/sdk/ir` condition-form) atom by atom. A condition that may not run after a cancellation
 * is prefixed with `sluice_live &&`; in one that may, each status check carries its own
 * `sluice_live` (the form's `live` atoms). Only step ids (validated identifiers, quoted anyway)
 * appear in the code.
 */
import { foldCondition, type ConditionAtom, type NormalCondition } from '@sluice/sdk/ir';
import { shellQuote } from './shell.js';

/**
 * A printed part, or `HOLDS` for an atom that is always true in this script: the set-up runs
 * before the first step and ends the script when it fails, so `prepared` is left out of `&&` lists.
 */
const HOLDS = null;
type Printed = string | typeof HOLDS;

export function bashCondition(condition: NormalCondition): string {
  const body = text(
    foldCondition<Printed>(condition.form, {
      constant: (value) => (value ? 'true' : 'false'),
      atom,
      and: (parts) => {
        const kept = parts.filter((part): part is string => part !== HOLDS);
        return kept.length === 0 ? HOLDS : group(kept, ' && ');
      },
      or: (parts) => group(parts.map(text), ' || '),
      not: (part) => `! { ${text(part)}; }`,
    }),
  );
  return condition.afterCancel ? body : `sluice_live && ${body}`;
}

function atom(atom: ConditionAtom): Printed {
  switch (atom.atom) {
    case 'ended':
      return `sluice_is ${shellQuote(atom.step)} ${atom.status}`;
    case 'live':
      return 'sluice_live';
    case 'prepared':
      return HOLDS;
  }
}

function text(part: Printed): string {
  return part ?? 'true';
}

function group(parts: string[], operator: string): string {
  return parts.length === 1 ? (parts[0] as string) : `{ ${parts.join(operator)}; }`;
}
