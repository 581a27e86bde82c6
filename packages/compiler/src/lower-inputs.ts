/** Lowering of a pipeline's declared inputs: names, types, defaults and choices, as declared. */
import type { InputIR, Pipeline } from '@sluice/sdk/ir';

export function lowerInputs(pipeline: Pipeline): InputIR[] {
  return Object.entries(pipeline.spec.inputs ?? {}).map(([name, def]) => ({
    name,
    type: def.type,
    required: def.required,
    ...(def.description !== undefined ? { description: def.description } : {}),
    ...(def.default !== undefined ? { default: def.default } : {}),
    ...(def.type === 'choice' ? { options: [...def.options] } : {}),
  }));
}
