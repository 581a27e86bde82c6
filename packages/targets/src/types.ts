import type { Diagnostic, SluiceIR } from '@sluice/sdk/ir';

/** A file a target produces, with its path relative to the project root. */
export interface GeneratedFile {
  path: string;
  content: string;
  /** Written with mode 0755 (scripts). */
  executable?: boolean;
}

/** What an emitter returns: files, or the reasons it refuses (then no file is written). */
export interface EmitResult {
  files: GeneratedFile[];
  diagnostics: Diagnostic[];
  /**
   * Checks that need an asynchronous load (a schema validator loaded only when an override ran), run
   * by the compiler before anything is written: any diagnostic means no file is written.
   */
  lateChecks?: () => Promise<Diagnostic[]>;
}

/**
 * A target: a pure function from the IR (plus the target's own settings from the config) to files.
 * `outputDirs` lets the compiler find generated files that are no longer produced.
 */
export interface Target<Options> {
  readonly name: string;
  emit(ir: SluiceIR, options: Options): EmitResult;
  outputDirs(options: Options): string[];
}
