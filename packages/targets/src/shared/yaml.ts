/**
 * The one place YAML is written. Every target builds plain objects and serialises them here, once
 * per file, with fixed options:
 * - YAML 1.1-safe quoting: a string a YAML 1.1 reader would take for a boolean, number, date or null
 *   (`on`, `yes`, `012`, `12:30`, `2024-01-01`, `~`) is quoted, and the result reads the same under 1.2;
 * - no line wrapping, no anchors or aliases, block literals for multi-line strings;
 * - key order is the order the target built the object in (targets choose a fixed, documented order).
 */
import { Document, Scalar } from 'yaml';

/** A string value printed with a trailing `# comment` (used for `uses: owner/repo@sha # vX.Y.Z`). */
export function withComment(value: string, comment: string): Scalar<string> {
  const node = new Scalar(value);
  node.comment = ` ${comment}`;
  return node;
}

export function toYaml(data: unknown): string {
  const document = new Document(data, { version: '1.1', aliasDuplicateObjects: false });
  return document.toString({ lineWidth: 0, minContentWidth: 0, indentSeq: true });
}

/** Several documents in one file, separated by `---`. */
export function toYamlDocuments(documents: readonly unknown[]): string {
  return documents.map(toYaml).join('---\n');
}
