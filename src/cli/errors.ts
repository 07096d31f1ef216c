import { PrnrError } from '../shared/errors';

/** Exit code for a command line that cannot be understood (like most Unix tools). */
export const EXIT_USAGE = 2;

/** A bad command line: printed with a hint to --help, exits with EXIT_USAGE. */
export class UsageError extends PrnrError {
  constructor(message: string) {
    super('USAGE', message);
  }
}
