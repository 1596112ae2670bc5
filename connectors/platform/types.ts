/**
 * What the push pipeline needs from a platform, whatever its wire format: send one batch of resources,
 * learn per entry whether it was taken. Another format (a ministry's own JSON API) is another connector.
 */
import { VaxsyncError, type ErrorCode } from '../../src/base/errors.js';

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

export type PlatformErrorCode = Extract<ErrorCode, `platform.${string}`>;

/** The failures a later attempt may get past: the platform out of reach, or this connector closed under a send. */
const RETRYABLE: ReadonlySet<PlatformErrorCode> = new Set(['platform.unavailable', 'platform.closed']);

export class PlatformError extends VaxsyncError<PlatformErrorCode> {
  override readonly name = 'PlatformError';

  /** False when retrying cannot help (credentials refused, the request itself malformed). */
  get retryable(): boolean {
    return RETRYABLE.has(this.code);
  }
}
