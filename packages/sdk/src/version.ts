/** Bumped whenever the IR changes shape; targets and the compiler agree on it. */
export const IR_VERSION = 1;
