/**
 * A night's blocks by (rule, key hash), each with its size over all records: an open-addressing table in
 * typed arrays. A night's blocking looks a size up for every block of every rule it forms (millions at ten
 * million records), where a Map keyed by `rule:decimal hash` cost each look-up a decimal string (hashText)
 * and the hashing of it.
 */

/** What `size` says of a block the table does not hold, or holds without a size yet. */
export const UNKNOWN = -1;

export class BlockSizes {
  private rules = new Int32Array(1024).fill(-1);
  private highs = new Int32Array(1024);
  private lows = new Int32Array(1024);
  private sizes = new Int32Array(1024).fill(UNKNOWN);
  /** Blocks held. */
  count = 0;

  /** The slot holding the block, or the empty one where it would go. Rules are 0 or more. */
  private slotOf(rule: number, high: number, low: number): number {
    const { rules, highs, lows } = this;
    const mask = rules.length - 1;
    let slot = (low ^ Math.imul(high, 0x9e3779b1) ^ Math.imul(rule + 1, 0x85ebca6b)) & mask;
    for (;;) {
      const r = rules[slot]!;
      if (r === -1 || (r === rule && lows[slot] === low && highs[slot] === high)) return slot;
      slot = (slot + 1) & mask;
    }
  }

  /** Adds a block (the hash's words as hash64 leaves them, either sign); false if it was there already. */
  add(rule: number, high: number, low: number): boolean {
    if (this.slotAdded(rule, high | 0, low | 0) === -1) return false;
    if (this.count * 2 > this.rules.length) this.grow();
    return true;
  }

  /** The block's new slot, -1 if it was there already. */
  private slotAdded(rule: number, high: number, low: number): number {
    // -1 marks an empty slot (the twins' rule, -1 in link_key, is never a block here).
    if (!(rule >= 0)) throw new Error(`internal: a block's rule is 0 or more, not ${rule}`);
    const slot = this.slotOf(rule, high, low);
    if (this.rules[slot] !== -1) return -1;
    this.rules[slot] = rule;
    this.highs[slot] = high;
    this.lows[slot] = low;
    this.count++;
    return slot;
  }

  /** Twice the slots, every block moved to its slot there (at most half full, so a probe ends soon). */
  private grow(): void {
    const { rules, highs, lows, sizes } = this;
    this.rules = new Int32Array(rules.length * 2).fill(-1);
    this.highs = new Int32Array(rules.length * 2);
    this.lows = new Int32Array(rules.length * 2);
    this.sizes = new Int32Array(rules.length * 2).fill(UNKNOWN);
    this.count = 0;
    for (let s = 0; s < rules.length; s++) {
      if (rules[s] !== -1) this.sizes[this.slotAdded(rules[s]!, highs[s]!, lows[s]!)] = sizes[s]!;
    }
  }

  /** Sets a block's size, adding the block if it is not there. */
  setSize(rule: number, high: number, low: number, size: number): void {
    this.add(rule, high, low);
    this.sizes[this.slotOf(rule, high | 0, low | 0)] = size;
  }

  /** A block's size, UNKNOWN if the table holds none. */
  size(rule: number, high: number, low: number): number {
    const slot = this.slotOf(rule, high | 0, low | 0);
    return this.rules[slot] === -1 ? UNKNOWN : this.sizes[slot]!;
  }
}
