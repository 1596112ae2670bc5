/**
 * 64-bit keys — the two words of a hash64 — in typed arrays, each with an optional 32-bit value: open
 * addressing, linear probing, at most 3/4 full, doubling as it fills. 9 bytes a slot for keys alone, where
 * a `Set` or `Map` of millions of strings or decimal texts spends ~70 bytes an entry, makes a string for
 * each look-up, and cannot pass 2²⁴ entries at all (V8 throws "Set maximum size exceeded").
 *
 * Its users: an import's set of record ids (HashedStringSet) and a night's block sizes by rule, looked up
 * for every block of a million records (src/link/scope.ts).
 */

// A slot's state.
const EMPTY = 0;
const KEY = 1;
const VALUED = 2;

export class Hash64Table {
  #high: Int32Array;
  #low: Int32Array;
  /** EMPTY, KEY or VALUED: a key of (0, 0) is a key like any other, and 0 a value like any other. */
  #state: Uint8Array;
  /** Made on the first value set, so that a table of keys alone spends nothing on it. */
  #values: Int32Array | null = null;
  #size = 0;

  constructor(capacity = 1024) {
    let slots = 16;
    while (slots * 0.75 < capacity) slots *= 2;
    this.#high = new Int32Array(slots);
    this.#low = new Int32Array(slots);
    this.#state = new Uint8Array(slots);
  }

  /** Keys held. */
  get size(): number {
    return this.#size;
  }

  /** Adds the key (either word of either sign); false when it was there already. */
  add(high: number, low: number): boolean {
    const slot = this.#slotOf(high | 0, low | 0);
    if (this.#state[slot] !== EMPTY) return false;
    this.#take(slot, high | 0, low | 0);
    return true;
  }

  has(high: number, low: number): boolean {
    return this.#state[this.#slotOf(high | 0, low | 0)] !== EMPTY;
  }

  /** Sets the key's value, adding the key if it is not there. */
  set(high: number, low: number, value: number): void {
    let slot = this.#slotOf(high | 0, low | 0);
    if (this.#state[slot] === EMPTY) slot = this.#take(slot, high | 0, low | 0);
    this.#values ??= new Int32Array(this.#state.length);
    this.#values[slot] = value;
    this.#state[slot] = VALUED;
  }

  /** The key's value; `otherwise` when the table does not hold the key, or holds it with no value. */
  get(high: number, low: number, otherwise: number): number {
    const slot = this.#slotOf(high | 0, low | 0);
    return this.#state[slot] === VALUED ? this.#values![slot]! : otherwise;
  }

  /** The slot holding the key, or the empty one where it would go. */
  #slotOf(high: number, low: number): number {
    const state = this.#state;
    const mask = state.length - 1;
    // The low word's bits are the better mixed; the high word breaks up runs of one low word.
    let slot = (low ^ Math.imul(high, 0x9e3779b1)) & mask;
    while (state[slot] !== EMPTY && (this.#low[slot] !== low || this.#high[slot] !== high)) slot = (slot + 1) & mask;
    return slot;
  }

  /** Puts the key in the empty slot, growing first if the table would pass 3/4 full; the key's slot. */
  #take(slot: number, high: number, low: number): number {
    if (this.#size + 1 > this.#state.length * 0.75) {
      this.#grow();
      slot = this.#slotOf(high, low);
    }
    this.#high[slot] = high;
    this.#low[slot] = low;
    this.#state[slot] = KEY;
    this.#size++;
    return slot;
  }

  #grow(): void {
    const [high, low, state, values] = [this.#high, this.#low, this.#state, this.#values];
    const slots = state.length * 2;
    this.#high = new Int32Array(slots);
    this.#low = new Int32Array(slots);
    this.#state = new Uint8Array(slots);
    this.#values = values && new Int32Array(slots);
    for (let s = 0; s < state.length; s++) {
      if (state[s] === EMPTY) continue;
      const slot = this.#slotOf(high[s]!, low[s]!);
      this.#high[slot] = high[s]!;
      this.#low[slot] = low[s]!;
      this.#state[slot] = state[s]!;
      if (values) this.#values![slot] = values[s]!;
    }
  }
}
