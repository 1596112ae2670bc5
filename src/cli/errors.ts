/**
 * The one place the command line turns a failure into an exit code and a message: 2 when the user must fix
 * the command or its input (a VaxsyncError of kind `user`, or a usage error commander reported), 1 for a
 * fault. An unexpected error prints one short line; its stack only with VAXSYNC_DEBUG=1, since a stack
 * means nothing to a station's clerk and a log collector would keep it for every run.
 */
import { CommanderError } from 'commander';
import { VaxsyncError } from '../base/errors.js';

export const EXIT_FAULT = 1;
export const EXIT_USER = 2;

/** Prints what `error` means for the user through `write` and answers the exit code. */
export function reportFailure(error: unknown, write: (text: string) => void, options: { readonly debug: boolean }): number {
  // Commander has already printed the usage problem (or the help that was asked for).
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_USER;
  const stack = options.debug && error instanceof Error && error.stack ? `${error.stack}\n` : '';
  if (error instanceof VaxsyncError) {
    write(`vaxsync: ${error.message}\n${stack}`);
    return error.kind === 'user' ? EXIT_USER : EXIT_FAULT;
  }
  const first = (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).split('\n', 1)[0];
  write(`vaxsync: unexpected error: ${first}\n${stack || 'vaxsync: set VAXSYNC_DEBUG=1 to see where it happened\n'}`);
  return EXIT_FAULT;
}

/** Whether the environment asks for stacks (VAXSYNC_DEBUG=1 or true). */
export function debugRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.VAXSYNC_DEBUG === '1' || env.VAXSYNC_DEBUG === 'true';
}
