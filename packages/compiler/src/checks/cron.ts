/**
 * POSIX cron, five fields, as GitHub Actions and Argo's CronWorkflow accept it: `*`, lists, ranges,
 * steps, and month/day names. Returns what is wrong, or undefined when valid.
 */
const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'day of week', min: 0, max: 6, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
] as const;

export function cronProblem(cron: string): string | undefined {
  const parts = cron.trim().split(/\s+/);
  if (parts.length !== 5) return `expected 5 fields (minute hour day-of-month month day-of-week), got ${parts.length}`;
  for (const [index, part] of parts.entries()) {
    const field = FIELDS[index] as (typeof FIELDS)[number];
    for (const item of part.split(',')) {
      const problem = itemProblem(item, field);
      if (problem) return `${field.name} field '${part}': ${problem}`;
    }
  }
  return undefined;
}

function itemProblem(item: string, field: (typeof FIELDS)[number]): string | undefined {
  const [range = '', step, extra] = item.split('/');
  if (extra !== undefined) return 'more than one `/`';
  if (step !== undefined && !/^[1-9]\d*$/.test(step)) return `step '${step}' is not a positive number`;
  if (range === '*') return undefined;
  const [from = '', to, beyond] = range.split('-');
  if (beyond !== undefined) return 'more than one `-`';
  const low = value(from, field);
  if (low === undefined) return `'${from}' is not a valid value (${field.min}-${field.max})`;
  if (to === undefined) return undefined;
  const high = value(to, field);
  if (high === undefined) return `'${to}' is not a valid value (${field.min}-${field.max})`;
  return low > high ? `range ${from}-${to} runs backwards` : undefined;
}

function value(text: string, field: (typeof FIELDS)[number]): number | undefined {
  if (/^\d+$/.test(text)) {
    const number = Number(text);
    return number >= field.min && number <= field.max ? number : undefined;
  }
  const names: readonly string[] = 'names' in field ? field.names : [];
  const index = names.indexOf(text.toUpperCase());
  return index < 0 ? undefined : index + field.min;
}

export function isValidTimezone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return /^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)*$/.test(timezone);
  } catch {
    return false;
  }
}
