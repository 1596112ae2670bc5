/** CSV lines (RFC 4180 quoting) and a file written in large UTF-8 chunks with backpressure. */
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';

const NEEDS_QUOTES = { ',': /[",\r\n]/, ';': /[";\r\n]/ } as const;

/**
 * One CSV record (no line terminator): fields joined by `delimiter`, quoted per RFC 4180 when they contain
 * the delimiter, a double quote, CR or LF (inner quotes doubled).
 */
export function toCsvLine(values: readonly string[], delimiter: ',' | ';' = ','): string {
  const needsQuotes = NEEDS_QUOTES[delimiter];
  let quoted: string[] | null = null;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as string;
    if (needsQuotes.test(v)) {
      quoted ??= values.slice();
      quoted[i] = `"${v.replace(/"/g, '""')}"`;
    }
  }
  // Array#join builds one flat string: much less garbage than appending field by field.
  return (quoted ?? values).join(delimiter);
}

/** Bytes collected before a write to the file stream. */
const WRITE_CHUNK_BYTES = 1 << 20;
/** Lines collected before they are joined and encoded into the chunk. */
const LINES_PER_BATCH = 512;

/**
 * A file written in large UTF-8 chunks. Lines (without terminator) are collected, joined with CRLF once per
 * batch and encoded into a chunk; a full chunk is handed to the stream.
 */
export class Sink {
  private readonly lines: string[] = [];
  private readonly stream: WriteStream;
  private failure: Error | null = null;
  private chunk = Buffer.allocUnsafe(WRITE_CHUNK_BYTES);
  private used = 0;

  constructor(path: string) {
    this.stream = createWriteStream(path, { highWaterMark: WRITE_CHUNK_BYTES });
    this.stream.on('error', (error) => {
      this.failure = error;
    });
  }

  /** Adds a line; returns a promise only when the stream asked the writer to wait (backpressure). */
  line(text: string): Promise<void> | undefined {
    this.lines.push(text);
    return this.lines.length >= LINES_PER_BATCH ? this.encode() : undefined;
  }

  private encode(): Promise<void> | undefined {
    this.lines.push('');
    const text = this.lines.join('\r\n');
    this.lines.length = 0;
    const maxBytes = text.length * 3;
    const wait = this.used + maxBytes > this.chunk.length ? this.hand() : undefined;
    if (maxBytes > this.chunk.length) this.chunk = Buffer.allocUnsafe(maxBytes);
    this.used += this.chunk.write(text, this.used, 'utf8');
    return wait;
  }

  /** Hands the filled part of the chunk to the stream and starts a new chunk. */
  private hand(): Promise<void> | undefined {
    if (this.failure) throw this.failure;
    if (this.used === 0) return undefined;
    const full = this.chunk.subarray(0, this.used);
    this.chunk = Buffer.allocUnsafe(WRITE_CHUNK_BYTES);
    this.used = 0;
    return this.stream.write(full) ? undefined : once(this.stream, 'drain').then(() => undefined);
  }

  async close(): Promise<void> {
    if (this.lines.length > 0) await this.encode();
    await this.hand();
    this.stream.end();
    await finished(this.stream);
    if (this.failure) throw this.failure;
  }

  destroy(): void {
    this.stream.destroy();
  }
}

const NEEDS_QUOTES_COMMA = NEEDS_QUOTES[','];

/** A field for a comma-delimited file, quoted when needed (same rule as `toCsvLine`). */
export function csvCell(value: string): string {
  return NEEDS_QUOTES_COMMA.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

