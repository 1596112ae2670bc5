/**
 * What the push pipeline needs from a platform, whatever its wire format: send one batch of resources,
 * learn per entry whether it was taken. Another format (a ministry's own JSON API) is another connector.
 */

/** One entry's outcome: taken (created or updated), or rejected with the platform's reason. */
export type EntryOutcome =
  | { readonly ok: true; readonly status: number }
  | { readonly ok: false; readonly status: number; readonly reason: string };

export interface PlatformConnector {
  /** Where records go, for messages (no credentials in it). */
  readonly target: string;
  /**
   * Sends one transaction bundle; resolves with one outcome per entry, in order. Throws PlatformError when
   * the platform could not be reached or kept failing after the retries: then nothing is known of the
   * bundle, and sending it again is safe (every entry is a conditional update).
   */
  send(bundle: fhir4.Bundle): Promise<EntryOutcome[]>;
  close(): Promise<void>;
}

export class PlatformError extends Error {
  /** False when retrying cannot help (credentials refused, the request itself malformed). */
  readonly retryable: boolean;
  constructor(message: string, retryable: boolean, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PlatformError';
    this.retryable = retryable;
  }
}
