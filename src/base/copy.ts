/**
 * PostgreSQL COPY text format, the fastest way to bulk-load rows on the server and on PGlite alike: the
 * encoders of values and lines, and the chunked writer that sends the lines a chunk at a time. Nothing here
 * knows a database: a chunk goes to whatever `send` the caller gives (a COPY statement in a transaction,
 * usually; src/db/database.ts runs it).
 */

/** Escapes one value for COPY text format; null becomes \N. */
export function copyValue(value: string | number | null | undefined): string {
  if (value == null) return '\\N';
  if (typeof value === 'number') return String(value);
  // Fast path: most values need no escaping.
  if (!/[\\\t\n\r]/.test(value)) return value;
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/** A PostgreSQL array literal of text values (every element quoted), not yet COPY-escaped. */
export function textArrayLiteral(values: readonly string[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ',';
    const v = values[i]!;
    out += '"' + (/["\\]/.test(v) ? v.replace(/["\\]/g, '\\$&') : v) + '"';
  }
  return out + '}';
}

/** One COPY line (with its newline) from the values of a row, in column order. */
export function copyLine(values: readonly (string | number | null | undefined)[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) line += '\t';
    line += copyValue(values[i]);
  }
  return line + '\n';
}

/**
 * Sends one chunk of COPY text (whole lines) and resolves once the database has it; calls `sent` as soon as
 * the chunk is on its way (RawTransaction.copy's `sent`), or at once if it cannot tell.
 */
export type CopySend = (text: string, sent: () => void) => Promise<void>;

export interface ChunkedCopyOptions {
  /** The chunk is full at this many characters (default: no limit)… */
  readonly maxChars?: number;
  /** …or at this many lines (default: no limit). */
  readonly maxLines?: number;
  /**
   * Send a chunk while the caller builds the next, rather than waiting for it (default false). At most one
   * chunk is in flight, so at most two are in memory. Several writers may overlap on one transaction: its
   * calls run one at a time in the order made (RawTransaction), so their chunks take turns on its connection.
   */
  readonly overlap?: boolean;
}

/**
 * COPY lines collected and sent a chunk at a time, so that a large load is neither one huge string nor a
 * statement per row:
 *
 *     if (copy.add(line)) await copy.flush();   // for each line
 *     await copy.end();                          // the rest, and every chunk done
 *
 * A chunk that fails is rethrown by the next `flush()` or `end()`; after a failure elsewhere, `settled()`
 * waits for the chunk in flight without sending more.
 */
export class ChunkedCopy {
  readonly #send: CopySend;
  readonly #maxChars: number;
  readonly #maxLines: number;
  readonly #overlap: boolean;
  #text = '';
  #lines = 0;
  #inFlight: Promise<void> = Promise.resolve();

  constructor(send: CopySend, options: ChunkedCopyOptions = {}) {
    this.#send = send;
    this.#maxChars = options.maxChars ?? Infinity;
    this.#maxLines = options.maxLines ?? Infinity;
    this.#overlap = options.overlap ?? false;
  }

  /** Adds a line (with its newline); true when the chunk is full and should be flushed. */
  add(line: string): boolean {
    this.#text += line;
    this.#lines++;
    return this.full;
  }

  /** Whether the chunk has reached its size. */
  get full(): boolean {
    return this.#text.length >= this.#maxChars || this.#lines >= this.#maxLines;
  }

  /**
   * Sends the lines collected so far, if any. Resolves once they are stored, or with `overlap` once the
   * chunk before them is stored and theirs is on its way.
   */
  async flush(): Promise<void> {
    await this.#inFlight;
    const text = this.#text;
    this.#text = '';
    this.#lines = 0;
    if (text === '') return;
    let handedOver!: () => void;
    const onItsWay = new Promise<void>((resolve) => (handedOver = resolve));
    const stored = this.#send(text, handedOver);
    if (!this.#overlap) return stored;
    this.#inFlight = stored;
    // Observed here so that a failure is never unhandled; it is rethrown by the next flush() or end().
    const settled = stored.catch(() => {});
    // The caller builds the next chunk only once this one is on its way: a COPY's text goes out, and the
    // server's acceptance of it comes in, only while the event loop runs, which a caller building rows does
    // not let it do. Returning at once left the server idle until the next flush (measured: the rewrite of
    // a million records' keys, 8,000 lines a chunk, took 13 ms a chunk where building one takes 5 and
    // storing it 3.6).
    await Promise.race([onItsWay, settled]);
  }

  /** Sends the rest and waits for every chunk. */
  async end(): Promise<void> {
    await this.flush();
    await this.#inFlight;
  }

  /** Waits for the chunk in flight, if any, ignoring its outcome: for the clean-up after another failure. */
  async settled(): Promise<void> {
    await this.#inFlight.catch(() => {});
  }
}
