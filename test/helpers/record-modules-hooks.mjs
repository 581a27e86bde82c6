import { appendFileSync } from 'node:fs';

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  appendFileSync(process.env.SLUICE_MODULE_LOG, `${result.url}\n`);
  return result;
}
