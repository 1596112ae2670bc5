/**
 * String distances used by the comparisons and the hard rules.
 *
 * Written here rather than taken from `fast-levenshtein` because the engine needs two things that library
 * lacks: an adjacent transposition counted as one edit (`1987` → `1978`, `thuy` → `tuhy` are single
 * keystroke slips), and an early exit once the distance passes a bound, which is what makes millions of
 * comparisons cheap (a name pair only matters up to distance 2). Measured once on the engine's name pairs,
 * the bounded distance is 1.7–1.9× faster than that library's (README, Matching), so it is not a dependency.
 */

let rowA = new Int32Array(64);
let rowB = new Int32Array(64);
let rowC = new Int32Array(64);

/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent transposition), computed only up to `max`:
 * any larger distance is returned as `max + 1`. Only the diagonal band |i - j| ≤ max is filled (cells
 * outside it are necessarily > max), so a bounded call costs O(len · max), not O(len²).
 */
export function osaDistance(a: string, b: string, max = Number.MAX_SAFE_INTEGER): number {
  if (a === b) return 0;
  const big = max + 1;
  if (Math.abs(a.length - b.length) > max) return big;
  // Drop the common prefix and suffix first: names mostly share the family name, so what remains for the
  // dynamic programme is a few letters.
  let start = 0;
  let endA = a.length;
  let endB = b.length;
  while (start < endA && start < endB && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  while (endA > start && endB > start && a.charCodeAt(endA - 1) === b.charCodeAt(endB - 1)) {
    endA--;
    endB--;
  }
  if (start > 0 || endA < a.length || endB < b.length) {
    a = a.slice(start, endA);
    b = b.slice(start, endB);
  }
  const la = a.length;
  const lb = b.length;
  if (la === 0) return Math.min(lb, big);
  if (lb === 0) return Math.min(la, big);
  const k = Math.min(max, Math.max(la, lb));
  if (rowA.length <= lb + 1) {
    rowA = new Int32Array(lb + 2);
    rowB = new Int32Array(lb + 2);
    rowC = new Int32Array(lb + 2);
  }
  // Three rolling rows: two rows back is needed for the transposition step.
  let twoBack = rowA;
  let prev = rowB;
  let cur = rowC;
  for (let j = 0; j <= lb; j++) prev[j] = j <= k ? j : big;
  prev[lb + 1] = big;
  for (let i = 1; i <= la; i++) {
    const ca = a.charCodeAt(i - 1);
    const lo = Math.max(1, i - k);
    const hi = Math.min(lb, i + k);
    // Sentinels just outside the band, read by this row and the next.
    cur[lo - 1] = lo === 1 && i <= k ? i : big;
    cur[hi + 1] = big;
    let rowMin = cur[lo - 1]!;
    for (let j = lo; j <= hi; j++) {
      const cb = b.charCodeAt(j - 1);
      let v = prev[j - 1]! + (ca === cb ? 0 : 1);
      const del = prev[j]! + 1;
      if (del < v) v = del;
      const ins = cur[j - 1]! + 1;
      if (ins < v) v = ins;
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) {
        const tr = twoBack[j - 2]! + 1;
        if (tr < v) v = tr;
      }
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    // Every later cell is at least the minimum of this row: past the bound, stop.
    if (rowMin > max) return big;
    const t = twoBack;
    twoBack = prev;
    prev = cur;
    cur = t;
  }
  const d = prev[lb]!;
  return d > max ? big : d;
}

/** True when `a` and `b` differ by at most one insertion, deletion, substitution or adjacent transposition. O(n). */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (la === lb) {
    let i = 0;
    while (a.charCodeAt(i) === b.charCodeAt(i)) i++;
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  if (Math.abs(la - lb) !== 1) return false;
  const [s, l] = la < lb ? [a, b] : [b, a];
  let i = 0;
  while (i < s.length && s.charCodeAt(i) === l.charCodeAt(i)) i++;
  return s.slice(i) === l.slice(i + 1);
}

/** Jaccard similarity of two sorted arrays of distinct tokens (|A ∩ B| / |A ∪ B|); 0 when both are empty. */
export function sortedJaccard(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 && b.length === 0) return 0;
  let i = 0;
  let j = 0;
  let common = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      common++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return common / (a.length + b.length - common);
}

/** True when `short` can be obtained from `long` by deleting elements (order kept). */
export function isSubsequence(short: readonly string[], long: readonly string[]): boolean {
  let i = 0;
  for (let j = 0; j < long.length && i < short.length; j++) if (long[j] === short[i]) i++;
  return i === short.length;
}

/**
 * A name word as it sounds in the North, where most spellings of minority names are made up by ear
 * (DOMAIN.md §2.1): tr/ch, gi/d/r (and z), s/x and k/c are pronounced alike, and y/i are one vowel. So
 * `Trừ`/`Chừ`, `Giế`/`Dế`/`Zế`, `Sử`/`Xử`, `Lỳ`/`Lì` give one key. Input is a diacritic-free lower-case word.
 */
export function soundKey(word: string): string {
  let w = word;
  if (w.startsWith('tr')) w = `ch${w.slice(2)}`;
  else if (w.startsWith('gi') && w.length > 2) w = `d${w.slice(2)}`;
  else if (w.startsWith('r') || w.startsWith('z')) w = `d${w.slice(1)}`;
  else if (w.startsWith('s')) w = `x${w.slice(1)}`;
  else if (w.startsWith('k') && !w.startsWith('kh')) w = `c${w.slice(1)}`;
  return w.includes('y') ? w.replaceAll('y', 'i') : w;
}

/** Two name words that may be one name: one typing slip apart, as typed or as they sound (soundKey). */
export function sameNameWord(a: string, b: string): boolean {
  return withinOneEdit(a, b) || withinOneEdit(soundKey(a), soundKey(b));
}

/**
 * The shape of a Vietnamese syllable once its diacritics are folded away (đ → d, ư/ơ → u/o…): an onset, a
 * vowel nucleus, and a final consonant only after the nuclei that take one. The folded form of every Kinh
 * syllable fits; a typing slip in a name word rarely leaves it fitting (`hpuong`, `xuyeb`, `trug`, `aoh`).
 * Foreign and some minority spellings (`thomas`, `bih`) do not fit either: callers use it only to tell a
 * slip from a second real name between two words that are already close.
 */
const FOLDED_SYLLABLE = new RegExp(
  '^(?:ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|[bcdghklmnprstvx])?' +
    '(?:(?:ieu|yeu|oai|oao|oay|oeo|uoi|uou|uya|uyu|uay|ai|ao|au|ay|eo|eu|ia|iu|oi|ua|ui|uu)' +
    '|(?:uye|ie|ye|uo|oa|oe|oo|ua|ue|uy|a|e|i|o|u|y)(?:ch|ng|nh|[cmnpt])?)$',
);

/** Whether a diacritic-free lower-case word is shaped like a Vietnamese syllable (FOLDED_SYLLABLE). */
export function isFoldedSyllable(word: string): boolean {
  return FOLDED_SYLLABLE.test(word);
}
