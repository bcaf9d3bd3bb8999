// The one taxonomy of what sloforge throws, by whose move it is, each with its exit code
// (README.md, "Exit codes"):
//   UserError         the user's config, flags or files are wrong; the message names the file,
//                     the object and the field (ConfigError and ImportFailure carry them as data).
//   EnvironmentError  the machine failed sloforge: I/O, a missing tool, an unreachable Prometheus.
//   InternalError     a sloforge bug: something validation promised did not hold.
// src/cli.ts prints each as one `error:` line (a bug with its stack) and exits with its code.
// A leaf like conventions.ts: every folder may import it.

export const EXIT_CODES = {
  /** The user's input is wrong; also `generate --check` with a stale folder, `test` with a failing test. */
  user: 1,
  /** I/O, a missing tool, Prometheus unreachable; also command-line usage errors (commander's code). */
  environment: 2,
  /** A bug in sloforge (EX_SOFTWARE of sysexits.h). */
  bug: 70,
} as const;

export abstract class SloforgeError extends Error {
  abstract readonly exitCode: number;
}

/** An error for the user: printed as it is, without a stack. */
export class UserError extends SloforgeError {
  override name = 'UserError';
  readonly exitCode: number = EXIT_CODES.user;
}

/** The environment failed: a file or folder that cannot be read or written, a tool that is not there, a server that does not answer. */
export class EnvironmentError extends SloforgeError {
  override name = 'EnvironmentError';
  readonly exitCode: number = EXIT_CODES.environment;
}

/** A sloforge bug; the message says which promise broke. */
export class InternalError extends SloforgeError {
  override name = 'InternalError';
  readonly exitCode: number = EXIT_CODES.bug;

  constructor(message: string) {
    super(`sloforge bug: ${message}`);
  }
}

/**
 * What Node puts on an error from a system call. Declared here rather than as NodeJS.ErrnoException:
 * this file's declarations ship in the package, and a user's project need not have @types/node.
 */
export interface SystemError extends Error {
  code: string;
  syscall: string;
  errno?: number;
  path?: string;
}

/** A failed system call (ENOENT, EACCES, ENOSPC, ...) that reached the top: the environment's, not the user's input nor a bug. */
export function isSystemError(e: unknown): e is SystemError {
  return (
    e instanceof Error && typeof (e as Partial<SystemError>).code === 'string' && typeof (e as Partial<SystemError>).syscall === 'string'
  );
}
