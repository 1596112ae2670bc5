import { VaxsyncError, type ErrorCode } from '../base/errors.js';

/** A request about linked records that cannot be met (an unknown record, no link run yet); the message says why. */
export class LinkError extends VaxsyncError<Extract<ErrorCode, `link.${string}`>> {
  override readonly name = 'LinkError';
}
