/**
 * The order inside validate(): the rules that read raw values (retries, timeouts) run before the
 * IR's type check, so any JavaScript value in those options gets the rule's own code, never the
 * generic SLUICE_E_WRONG_TYPE, and a valid value gets nothing. The type check still refuses what no
 * rule explains.
 */
import { buildIR, validate } from '@sluice/compiler';
import { dbt, notify, pipeline, trigger } from '@sluice/sdk';
import { DIAGNOSTIC_CODES as E, type Diagnostic, type SluiceIR } from '@sluice/sdk/ir';
import { irSchema } from '@sluice/sdk/schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const checkTypes = (ir: SluiceIR): Diagnostic[] => (irSchema.safeParse(ir).success ? [] : [{ code: E.WRONG_TYPE, message: 'schema', path: [] }]);

function codes(build: () => ReturnType<typeof pipeline>): string[] {
  const { ir, diagnostics } = buildIR([build()]);
  expect(diagnostics.filter((d) => d.code === E.WRONG_TYPE)).toEqual([]);
  return validate(ir, { checkTypes }).map((d) => d.code);
}

describe('values rules run before the type check', () => {
  it('retries: any value is either valid (0..10, whole) or SLUICE_E_INVALID_RETRIES alone', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -5, max: 15 }), fc.double(), fc.anything()), (retries) => {
        const effective = retries ?? 0;
        const valid = Number.isInteger(effective) && (effective as number) >= 0 && (effective as number) <= 10;
        expect(codes(() => pipeline('p', { triggers: [trigger.manual()], steps: () => ({ run: dbt.run({ retries: retries as number }) }) }))).toEqual(valid ? [] : [E.INVALID_RETRIES]);
      }),
      { numRuns: 200 },
    );
  });

  it('timeoutMinutes (pipeline and step): valid when a positive whole number, else SLUICE_E_INVALID_TIMEOUT alone', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -5, max: 500 }), fc.constantFrom(2 ** 53, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER), fc.double(), fc.anything()), fc.boolean(), (timeout, onStep) => {
        const effective = onStep ? timeout : (timeout ?? 120);
        const valid = effective === undefined || (Number.isSafeInteger(effective) && (effective as number) > 0);
        const build = () =>
          onStep
            ? pipeline('p', { triggers: [trigger.manual()], steps: () => ({ run: dbt.run({ timeoutMinutes: timeout as number }) }) })
            : pipeline('p', { triggers: [trigger.manual()], timeoutMinutes: timeout as number, steps: () => ({ run: dbt.run() }) });
        expect(codes(build)).toEqual(valid ? [] : [E.INVALID_TIMEOUT]);
      }),
      { numRuns: 200 },
    );
  });

  it('SMTP settings of the wrong type are SLUICE_E_INVALID_EMAIL_SETTINGS, not a wrong type', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.object()), fc.oneof(fc.integer({ min: 1, max: 65535 }), fc.string(), fc.double()), (host, port) => {
        const mail = notify.email({ smtp: { host: host as string, port: port as number }, from: 'a@example.com', to: 'b@example.com' });
        const found = codes(() => pipeline('p', { triggers: [trigger.manual()], steps: () => ({ mail }) }));
        const valid = typeof host === 'string' && /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(host) && !/\.\.|\.-|-\./.test(host) && host.split('.').every((label) => label.length <= 63) && Number.isInteger(port) && (port as number) >= 1 && (port as number) <= 65535;
        if (valid) expect(found).toEqual([]);
        else expect(found.length > 0 && found.every((code) => code === E.INVALID_EMAIL_SETTINGS), String(found)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('a wrong type no rule explains is still refused by the type check', () => {
    expect(codes(() => pipeline('p', { triggers: [trigger.manual()], description: 42 as unknown as string, steps: () => ({ run: dbt.run() }) }))).toEqual([E.WRONG_TYPE]);
    expect(codes(() => pipeline('p', { triggers: [trigger.manual()], description: 42 as unknown as string, steps: () => ({ run: dbt.run({ retries: 11 }) }) }))).toEqual([E.INVALID_RETRIES]);
  });
});
