/**
 * Typed dbt selections. `sluice types` generates `model('orders')`, `tag('nightly')` and friends
 * from the project's manifest, so a typo is a type error; graph operators are methods:
 * `model('orders').plus()` is `orders+`. Plain strings keep working everywhere.
 *
 * A selection may also be built around a pipeline input (an emergency run of a model and its
 * children): `selector.node(inputs.model).plus()` is `<the model given>+`. The input's value still
 * travels as data (an environment variable), is checked at run time to be one node name (no spaces,
 * no operators, no leading '-'), and the operators around it are literals.
 */
import { isInputRef, type InputRef } from './values.js';

/** The input part of a selector built around an input: `before` + value + `after`. */
export interface SelectorAroundInput {
  readonly before: string;
  readonly ref: InputRef<'string' | 'choice'>;
  readonly after: string;
}

export class NodeSelector {
  private readonly around: SelectorAroundInput | undefined;
  private readonly selector: string;

  constructor(selector: string | SelectorAroundInput) {
    if (typeof selector === 'string') {
      this.selector = selector;
      this.around = undefined;
    } else {
      this.around = selector;
      this.selector = '';
    }
  }

  private wrap(before: string, after: string): NodeSelector {
    if (this.around) return new NodeSelector({ before: before + this.around.before, ref: this.around.ref, after: this.around.after + after });
    return new NodeSelector(`${before}${this.selector}${after}`);
  }

  /** The node and its descendants (`orders+`), or `depth` generations of them (`orders+2`). */
  plus(depth?: number): NodeSelector {
    return this.wrap('', `+${depth ?? ''}`);
  }

  /** The node and its ancestors (`+orders`), or `depth` generations of them (`2+orders`). */
  parents(depth?: number): NodeSelector {
    return this.wrap(`${depth ?? ''}+`, '');
  }

  /** Ancestors, the node and descendants (`+orders+`). */
  family(): NodeSelector {
    return this.wrap('+', '+');
  }

  /** The node, its descendants and their ancestors (`@orders`). */
  at(): NodeSelector {
    return this.wrap('@', '');
  }

  /** The input this selector is built around, if any (lowering places it as data). */
  get input(): SelectorAroundInput | undefined {
    return this.around;
  }

  toString(): string {
    return this.around ? `${this.around.before}${String(this.around.ref)}${this.around.after}` : this.selector;
  }
}

export function nodeSelector(selector: string): NodeSelector {
  return new NodeSelector(selector);
}

/** Selections built around a node name, which may be an input of the pipeline. */
export const selector = {
  /** One node by name (`orders`), or the node an input names. */
  node: (name: string | InputRef<'string' | 'choice'>): NodeSelector => (isInputRef(name) ? new NodeSelector({ before: '', ref: name as InputRef<'string' | 'choice'>, after: '' }) : new NodeSelector(name)),
  /** The node and its descendants: `selector.children(inputs.model)` is `<model>+`. */
  children: (name: string | InputRef<'string' | 'choice'>): NodeSelector => selector.node(name).plus(),
  /** The node and its ancestors: `+<model>`. */
  parents: (name: string | InputRef<'string' | 'choice'>): NodeSelector => selector.node(name).parents(),
};
