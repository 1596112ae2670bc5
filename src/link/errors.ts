/** A request about linked records that cannot be met (an unknown record, no link run yet); the message says why. */
export class LinkError extends Error {
  override readonly name = 'LinkError';
}
