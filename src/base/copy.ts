/**
 * PostgreSQL COPY, the fastest way to bulk-load rows on the server and on PGlite alike: the text format's
 * encoders of values and lines, and the chunked writers that send rows a chunk at a time, as text lines or
 * (rows of integers only) in the binary format. Nothing here
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
  const escaped = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) escaped[i] = copyValue(values[i]);
  return escaped.join('\t') + '\n';
}

/**
 * Sends one chunk of COPY data — text lines, or a whole file in binary format (BinaryCopy) — and resolves
 * once the database has it; calls `sent` as soon as the chunk is on its way (RawTransaction.copy's `sent`),
 * or at once if it cannot tell.
 */
export type CopySend<Chunk extends string | Uint8Array = string> = (chunk: Chunk, sent: () => void) => Promise<void>;

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
 * What a chunked writer does with its chunks, whatever they hold: sends each, with at most one in flight
 * when overlapping. A chunk that fails is rethrown by the next `flush()` or `end()`; after a failure
 * elsewhere, `settled()` waits for the chunk in flight without sending more.
 */
abstract class ChunkSender<Chunk extends string | Uint8Array> {
  readonly #send: CopySend<Chunk>;
  readonly #overlap: boolean;
  #inFlight: Promise<void> = Promise.resolve();

  constructor(send: CopySend<Chunk>, overlap: boolean) {
    this.#send = send;
    this.#overlap = overlap;
  }

  /** The rows collected since the last chunk, as a chunk (null: none), and a new one started. */
  protected abstract take(): Chunk | null;

  /** Whether the chunk has reached its size. */
  abstract get full(): boolean;

  /**
   * Sends the rows collected so far, if any. Resolves once they are stored, or with `overlap` once the
   * chunk before them is stored and theirs is on its way.
   */
  async flush(): Promise<void> {
    await this.#inFlight;
    const chunk = this.take();
    if (chunk === null) return;
    let handedOver!: () => void;
    const onItsWay = new Promise<void>((resolve) => (handedOver = resolve));
    const stored = this.#send(chunk, handedOver);
    if (!this.#overlap) return stored;
    this.#inFlight = stored;
    // Observed here so that a failure is never unhandled; it is rethrown by the next flush() or end().
    const settled = stored.catch(() => {});
    // The caller builds the next chunk only once this one is on its way: a COPY's data goes out, and the
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

/**
 * COPY lines collected and sent a chunk at a time, so that a large load is neither one huge string nor a
 * statement per row:
 *
 *     if (copy.add(line)) await copy.flush();   // for each line
 *     await copy.end();                          // the rest, and every chunk done
 */
export class ChunkedCopy extends ChunkSender<string> {
  readonly #maxChars: number;
  readonly #maxLines: number;
  #text = '';
  #lines = 0;

  constructor(send: CopySend, options: ChunkedCopyOptions = {}) {
    super(send, options.overlap ?? false);
    this.#maxChars = options.maxChars ?? Infinity;
    this.#maxLines = options.maxLines ?? Infinity;
  }

  /** Adds a line (with its newline); true when the chunk is full and should be flushed. */
  add(line: string): boolean {
    this.#text += line;
    this.#lines++;
    return this.full;
  }

  get full(): boolean {
    return this.#text.length >= this.#maxChars || this.#lines >= this.#maxLines;
  }

  protected take(): string | null {
    const text = this.#text;
    this.#text = '';
    this.#lines = 0;
    return text === '' ? null : text;
  }
}

// PostgreSQL's binary COPY file: a signature, 32-bit flags and header-extension length; a 16-bit -1 ends it.
const BINARY_SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const BINARY_HEADER = BINARY_SIGNATURE.length + 8;

/**
 * Rows of integers in PostgreSQL's binary COPY format, a chunk at a time, each chunk a whole file: for
 * tables of numbers only (link_key's tens of millions of keys), where text would cost Node a decimal string
 * a value and the server parsing it back. Each row is `row(fields)` then one call per field, in column order:
 *
 *     copy.row(2).int16(rule).int64(high, low);
 *     if (copy.full) await copy.flush();
 */
export class BinaryCopy extends ChunkSender<Uint8Array> {
  readonly #maxBytes: number;
  #buffer: Buffer;
  #view: DataView;
  #at = BINARY_HEADER;

  /** `maxBytes`: the chunk is full once it holds this many bytes (flushing is the caller's, as `full` says). */
  constructor(send: CopySend<Uint8Array>, options: { readonly maxBytes: number; readonly overlap?: boolean }) {
    super(send, options.overlap ?? false);
    this.#maxBytes = options.maxBytes;
    [this.#buffer, this.#view] = this.#newChunk(this.#maxBytes + 1024);
  }

  #newChunk(bytes: number): [Buffer, DataView] {
    // A new buffer each chunk: the one sent may still be in the connection's hands.
    const buffer = Buffer.allocUnsafe(bytes);
    BINARY_SIGNATURE.copy(buffer, 0);
    buffer.writeInt32BE(0, BINARY_SIGNATURE.length);
    buffer.writeInt32BE(0, BINARY_SIGNATURE.length + 4);
    return [buffer, new DataView(buffer.buffer, buffer.byteOffset, buffer.length)];
  }

  /** Starts a row of `fields` values. */
  row(fields: number): this {
    // Room for the row at its largest (12 bytes a field) and the file's end, past `full` if the caller
    // has not flushed: the chunk grows rather than overflow.
    const needed = this.#at + 2 + 12 * fields + 2;
    if (needed > this.#buffer.length) {
      const [grown, view] = this.#newChunk(Math.max(needed, 2 * this.#buffer.length));
      this.#buffer.copy(grown, 0, 0, this.#at);
      [this.#buffer, this.#view] = [grown, view];
    }
    this.#view.setInt16(this.#at, fields);
    this.#at += 2;
    return this;
  }

  int16(value: number): this {
    this.#view.setInt32(this.#at, 2);
    this.#view.setInt16(this.#at + 4, value);
    this.#at += 6;
    return this;
  }

  int32(value: number): this {
    this.#view.setInt32(this.#at, 4);
    this.#view.setInt32(this.#at + 4, value);
    this.#at += 8;
    return this;
  }

  /** A bigint value given as its high (signed) and low (unsigned) 32-bit words, as HASH64 holds a hash. */
  int64(high: number, low: number): this {
    this.#view.setInt32(this.#at, 8);
    this.#view.setInt32(this.#at + 4, high);
    this.#view.setUint32(this.#at + 8, low);
    this.#at += 12;
    return this;
  }

  get full(): boolean {
    return this.#at >= this.#maxBytes;
  }

  protected take(): Uint8Array | null {
    if (this.#at === BINARY_HEADER) return null;
    this.#view.setInt16(this.#at, -1);
    const chunk = this.#buffer.subarray(0, this.#at + 2);
    [this.#buffer, this.#view] = this.#newChunk(this.#maxBytes + 1024);
    this.#at = BINARY_HEADER;
    return chunk;
  }
}
