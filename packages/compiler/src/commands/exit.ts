/** Exit codes and the output channels: all that cli.ts needs before a command's module loads. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
}

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;
