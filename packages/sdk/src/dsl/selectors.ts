/**
 * Typed dbt selections. `sluice types` generates `model('orders')`, `tag('nightly')` and friends
 * from the project's manifest, so a typo is a type error; graph operators are methods:
 * `model('orders').plus()` is `orders+`. Plain strings keep working everywhere.
 */
export class NodeSelector {
  constructor(private readonly selector: string) {}

  /** The node and its descendants (`orders+`), or `depth` generations of them (`orders+2`). */
  plus(depth?: number): NodeSelector {
    return new NodeSelector(`${this.selector}+${depth ?? ''}`);
  }

  /** The node and its ancestors (`+orders`), or `depth` generations of them (`2+orders`). */
  parents(depth?: number): NodeSelector {
    return new NodeSelector(`${depth ?? ''}+${this.selector}`);
  }

  /** Ancestors, the node and descendants (`+orders+`). */
  family(): NodeSelector {
    return new NodeSelector(`+${this.selector}+`);
  }

  /** The node, its descendants and their ancestors (`@orders`). */
  at(): NodeSelector {
    return new NodeSelector(`@${this.selector}`);
  }

  toString(): string {
    return this.selector;
  }
}

export function nodeSelector(selector: string): NodeSelector {
  return new NodeSelector(selector);
}
