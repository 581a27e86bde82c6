/** Where the steps run. */
export type Runtime =
  | { readonly kind: 'python'; readonly version: string; readonly requirements?: string }
  | { readonly kind: 'image'; readonly image: string };

export const runtime = {
  /**
   * A Python environment set up by the engine: the interpreter, then `pip install -r requirements`.
   * @param options.version @default '3.12'
   * @param options.requirements pip requirements file, relative to the project root. @default 'requirements.txt'
   */
  python(options: { version?: string; requirements?: string } = {}): Runtime {
    return { kind: 'python', version: options.version ?? '3.12', requirements: options.requirements ?? 'requirements.txt' };
  },
  /** A container image that already has dbt and the adapter installed. */
  image(image: string): Runtime {
    return { kind: 'image', image };
  },
};
