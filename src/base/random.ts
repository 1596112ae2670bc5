/**
 * The project's seeded pseudo-random numbers, deterministic across platforms (only 32-bit integer arithmetic:
 * `Math.imul`, `>>>`, `|0`). Not for cryptography.
 *
 * Two generators, on purpose, and only here:
 * - `Random` (sfc32, Chris Doty-Humphrey's "small fast chaotic" generator, 128-bit state, passes PractRand,
 *   seeded through splitmix32 so that nearby seeds give unrelated streams), with picks, shuffles, weighted
 *   tables and independent forks: the synthetic-data generator, and what new code should use.
 * - `seededRandom` (mulberry32, 32-bit state): one stream of floats, for the pair sample behind u
 *   (matchers) and the simulators' fault schedules.
 * Each one's sequence is pinned by what it produced before: the synthetic files for a seed (and the README's
 * figures measured on them) by sfc32; the u of saved models, and the faults the simulator tests expect for a
 * seed, by mulberry32. Moving either use to the other algorithm would change those outputs.
 */

const TWO_POW_32 = 4294967296;

/** splitmix32: a seed scrambler, used only to fill the sfc32 state. */
function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** `seed` is any finite number; only its low 32 bits and, for large values, its high bits matter. */
  constructor(seed: number, stream = 0) {
    const hi = Math.floor(seed / TWO_POW_32) | 0;
    const state = { s: (seed | 0) ^ Math.imul(hi, 0x85ebca6b) ^ Math.imul(stream + 1, 0xc2b2ae35) };
    this.a = splitmix32(state);
    this.b = splitmix32(state);
    this.c = splitmix32(state);
    this.d = splitmix32(state);
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1) with 32 bits of randomness. */
  next(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** A uniformly chosen element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty array');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** `count` decimal digits as a string (leading zeros allowed). */
  digits(count: number): string {
    let out = '';
    for (let i = 0; i < count; i++) out += String.fromCharCode(48 + Math.floor(this.next() * 10));
    return out;
  }

  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }

  /** An independent generator derived from this one's seed material and a stream number. */
  fork(stream: number): Random {
    return new Random(this.nextUint32(), stream);
  }
}

/**
 * A weighted choice among fixed items, with the cumulative table computed once so that each pick is a
 * binary search (O(log n)) rather than a linear scan.
 */
export class WeightedTable<T> {
  readonly items: readonly T[];
  private readonly cumulative: Float64Array;
  private readonly total: number;

  constructor(entries: readonly (readonly [T, number])[]) {
    const positive = entries.filter(([, w]) => w > 0);
    if (positive.length === 0) throw new RangeError('a weighted table needs at least one positive weight');
    this.items = positive.map(([item]) => item);
    this.cumulative = new Float64Array(positive.length);
    let sum = 0;
    positive.forEach(([, w], i) => {
      if (!Number.isFinite(w)) throw new RangeError(`weight ${w} is not finite`);
      sum += w;
      this.cumulative[i] = sum;
    });
    this.total = sum;
  }

  pick(random: Random): T {
    const target = random.next() * this.total;
    const cumulative = this.cumulative;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cumulative[mid] as number) > target) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo] as T;
  }

  /** The probability of an item (the sum over entries equal to it). */
  probability(item: T): number {
    let w = 0;
    let previous = 0;
    this.items.forEach((candidate, i) => {
      const c = this.cumulative[i] as number;
      if (candidate === item) w += c - previous;
      previous = c;
    });
    return w / this.total;
  }
}

/**
 * mulberry32: a small, fast generator of floats in [0, 1), seeded by the low 32 bits of `seed`. Good enough
 * to sample pairs and schedule faults; see the module comment for why it stays beside `Random`.
 */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
