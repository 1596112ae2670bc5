/**
 * A 64-bit hash of a string, for sets and keys of millions of strings kept as numbers: two 32-bit FNV-1a
 * hashes of its UTF-16 code units with different offsets (the second also folds its own high bits in).
 * Written into `HASH64` — high word signed, low word unsigned — rather than returned, so that hashing
 * millions of keys allocates nothing. It cannot change: link_key stores its values.
 *
 * Two different strings take one hash with a probability of about 2·n²/2⁶⁵ among n
 * (~6·10⁻⁶ for ten million): the high word collides at the rate of 32 uniform bits, the low word at about
 * twice it (measured on 4–5 million keys of names and dates, dates and communes, and phones: 6,232 where
 * 32 uniform bits give 3,149), none on both words.
 */
import { Hash64Table } from './hash64-table.js';

export const HASH64 = new Float64Array(2);

/**
 * hash64 of a text written in pieces (`text`, `code`, `digits`), without making the text: blocking hashes
 * each record's key so (matchers/blocking.ts KeyParts), tens of millions of keys a run. `finish` writes the
 * hash of what was written since `reset` into HASH64, as hash64 would of the whole text.
 */
export class Hash64Writer {
  private a = 0x811c9dc5;
  private b = 0x050c5d1f;

  reset(): void {
    this.a = 0x811c9dc5;
    this.b = 0x050c5d1f;
  }

  /** `s` from its `from`th UTF-16 code unit. */
  text(s: string, from = 0): void {
    let a = this.a;
    let b = this.b;
    for (let i = from; i < s.length; i++) {
      const c = s.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
    }
    this.a = a;
    this.b = b;
  }

  /** One UTF-16 code unit. */
  code(c: number): void {
    this.a = Math.imul(this.a ^ c, 0x01000193);
    this.b = Math.imul(this.b ^ c, 0x01000193) ^ (this.b >>> 15);
  }

  /** `n` as String(n) writes it (a year, a count: a 31-bit integer by hand, anything else through String). */
  digits(n: number): void {
    if (!Number.isInteger(n) || n < 0 || n > 0x7fffffff) return this.text(String(n));
    let unit = 1;
    while (unit * 10 <= n) unit *= 10;
    for (; unit >= 1; unit /= 10) this.code(48 + (((n / unit) | 0) % 10));
  }

  finish(): void {
    HASH64[0] = this.a | 0;
    HASH64[1] = this.b >>> 0;
  }
}

const WRITER = new Hash64Writer();

export function hash64(key: string): void {
  WRITER.reset();
  WRITER.text(key);
  WRITER.finish();
}

/**
 * A set of strings kept as their 64-bit hashes (Hash64Table): 9 bytes a slot and at most 4/3 slots an entry,
 * where a `Set` of ten million short ids holds ~70 bytes each and cannot pass 2²⁴ entries at all. Two
 * different strings are taken for one with a probability of a few in a million among ten million
 * (hash64's), so it serves checks that flag, such as a record_id seen twice in one file, never ones that
 * drop or merge.
 */
export class HashedStringSet {
  readonly #table: Hash64Table;

  constructor(capacity = 1024) {
    this.#table = new Hash64Table(capacity);
  }

  get size(): number {
    return this.#table.size;
  }

  /** Adds `key`; false when it (or a string of the same hash) was already there. */
  add(key: string): boolean {
    hash64(key);
    return this.#table.add(HASH64[0]!, HASH64[1]!);
  }

  has(key: string): boolean {
    hash64(key);
    return this.#table.has(HASH64[0]!, HASH64[1]!);
  }
}
