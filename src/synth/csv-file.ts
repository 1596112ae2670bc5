/** A file of lines written in large UTF-8 chunks with backpressure (the lines are quoted by src/base/csv.ts). */
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';

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
