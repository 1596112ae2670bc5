import { describe, expect, it } from 'vitest';
import { blockingKeys, candidatePairs, DEFAULT_BLOCKING_RULES, hashKey, keyText, skeletonOf, type BlockingOptions, type BlockingRule } from '../../matchers/blocking.js';
import { prepareRecords, type RecordTable } from '../../matchers/record.js';
import { seededRandom } from '../../src/base/random.js';
import { HASH64, hash64 } from '../../src/base/string-hash.js';
import { syntheticVietnamese } from '../../scripts/eval-matchers.js';
import { record } from './helpers.js';

const byPhone: BlockingRule = { name: 'phone', uses: ['phone'], key: (r, k) => r.phone !== null && k.add(r.phone) };
const byName: BlockingRule = { name: 'name', uses: ['name'], key: (r, k) => r.nameKey !== null && k.add(r.nameKey) };

function pairsOf(result: ReturnType<typeof candidatePairs>): string[] {
  return Array.from({ length: result.count }, (_, p) => `${result.left[p]}-${result.right[p]}`);
}

describe('candidatePairs', () => {
  it('emits each pair once across rules, i < j, with every rule it agrees on', () => {
    const records = [
      record(0, { name: 'Nguyễn Văn An', phone: '0912000001' }),
      record(1, { name: 'Nguyễn Văn An', phone: '0912000001' }),
      record(2, { name: 'Nguyễn Văn An', phone: '0912000002' }),
      record(3, { name: 'Trần Thị Bình', phone: '0912000002' }),
    ];
    const result = candidatePairs(records, [byPhone, byName], { maxBlockSize: 10 });
    expect(pairsOf(result).sort()).toEqual(['0-1', '0-2', '1-2', '2-3']);
    const agree = new Map(pairsOf(result).map((k, p) => [k, result.agree[p]]));
    expect(agree.get('0-1')).toBe(0b11); // same phone and same name
    expect(agree.get('2-3')).toBe(0b01); // phone only
    expect(agree.get('0-2')).toBe(0b10); // name only
    expect(result.perRule.map((r) => r.pairs)).toEqual([2, 2]);
    for (let p = 0; p < result.count; p++) expect(result.left[p]).toBeLessThan(result.right[p]!);
  });

  // Past 2²⁰ pairs the buffer grows its columns: every pair must survive the growth and the copy out.
  it('keeps every pair when there are more than a million of them', () => {
    const records = Array.from({ length: 5000 }, (_, i) => record(i, { phone: `09000000${i % 10}` }));
    const result = candidatePairs(records, [byPhone], { maxBlockSize: 500 });
    expect(result.count).toBe(10 * ((500 * 499) / 2));
    expect(result.left).toHaveLength(result.count);
    let checksum = 0;
    for (let p = 0; p < result.count; p++) {
      const a = result.left[p]!;
      const b = result.right[p]!;
      if (a >= b || a % 10 !== b % 10 || result.agree[p] !== 1) throw new Error(`pair ${p} is ${a}-${b}, agree ${result.agree[p]}`);
      checksum += a * 5000 + b;
    }
    // Σ over the ten blocks of Σ_{x<y} (x·5000 + y): every pair once.
    let expected = 0;
    for (let x = 0; x < 5000; x++) for (let y = x + 10; y < 5000; y += 10) expected += x * 5000 + y;
    expect(checksum).toBe(expected);
  });

  it('skips a block over the cap with a warning that names no value, and never expands it', () => {
    // A clinic's phone typed on 2,000 rows: 1,999,000 pairs if expanded.
    const records = Array.from({ length: 2000 }, (_, i) =>
      record(i, { name: i < 2 ? 'Lê Thị Hoa' : `Người ${i}`, phone: '0900000000' }),
    );
    const result = candidatePairs(records, [byPhone, byName], { maxBlockSize: 100 });
    expect(pairsOf(result)).toEqual(['0-1']);
    expect(result.cappedBlocks).toBe(1);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toContain("'phone'");
    expect(result.warnings[0]).toContain('2000');
    expect(result.warnings[0]).not.toContain('0900000000');
    // The pair found by the name rule does not count as agreeing on the skipped phone block.
    expect(result.agree[0]).toBe(0b10);
  });

  it('finds the Vietnamese variants of one person with the default rules', () => {
    const records = [
      record(0, { name: 'Nguyễn Thị Thủy', birth: '1990-05-12', phone: '0912345678' }),
      record(1, { name: 'Nguyen Thi Thuy', birth: '1990-12-05' }), // no diacritics, day/month swapped
      record(2, { name: 'Nguyễn Thủy', birth: '1990-05-12' }), // middle name left out
      record(3, { name: 'Huỳnh Văn An', birth: '1970-01-01' }),
      record(4, { name: 'Hoàng Văn An', birth: '1970-01-01' }), // regional spelling
      record(5, { name: 'Phạm Văn Cường', birth: '1955' }),
    ];
    const pairs = pairsOf(candidatePairs(records, DEFAULT_BLOCKING_RULES, { maxBlockSize: 500 }));
    expect(pairs).toContain('0-1');
    expect(pairs).toContain('0-2');
    expect(pairs).toContain('3-4');
    expect(pairs.some((p) => p.includes('5'))).toBe(false);
  });

  it('skips a block over a rule\'s own smaller cap without a warning, counting it', () => {
    const selective: BlockingRule = { name: 'name', uses: ['name'], maxBlockSize: 3, key: byName.key };
    const records = [
      ...Array.from({ length: 4 }, (_, i) => record(i, { name: 'Nguyễn Văn An' })),
      record(4, { name: 'Lê Thị Hoa' }),
      record(5, { name: 'Lê Thị Hoa' }),
    ];
    const result = candidatePairs(records, [selective], { maxBlockSize: 100 });
    expect(pairsOf(result)).toEqual(['4-5']);
    expect(result.warnings).toEqual([]);
    expect(result.cappedBlocks).toBe(0);
    expect(result.perRule[0]!.selectiveSkipped).toBe(1);
  });

  it('splits a block over splitBlockSize: only its pairs sharing a further key are proposed or agree on it', () => {
    const narrowName: BlockingRule = { ...byName, narrowBy: [(r) => r.phone] };
    const byCommune: BlockingRule = { name: 'commune', uses: ['commune'], key: (r, k) => r.commune !== null && k.add(r.commune) };
    const records = [
      record(0, { name: 'Nguyễn Văn An', phone: '0912000001', commune: '00001' }),
      record(1, { name: 'Nguyễn Văn An', phone: '0912000001' }),
      record(2, { name: 'Nguyễn Văn An', phone: '0912000002', commune: '00001' }),
      record(3, { name: 'Nguyễn Văn An', phone: '0912000002' }),
      record(4, { name: 'Nguyễn Văn An' }),
    ];
    const split = candidatePairs(records, [narrowName, byCommune], { maxBlockSize: 100, splitBlockSize: 4 });
    expect(pairsOf(split)).toEqual(['0-1', '2-3', '0-2']);
    const agree = new Map(pairsOf(split).map((k, p) => [k, split.agree[p]]));
    // 0 and 2 share the name's block but not a further key: they agree on the commune only. 0 and 1 were
    // proposed for sharing a further key, not as a fair sample of the name's block: no bit trains on them.
    expect(agree.get('0-2')).toBe(0b10);
    expect(agree.get('0-1')).toBe(0);
    // A later split rule: the pair an earlier rule proposed carries no bit for it, further key or not.
    const later = candidatePairs(records, [byCommune, narrowName], { maxBlockSize: 100, splitBlockSize: 4 });
    expect(pairsOf(later)).toEqual(['0-2', '0-1', '2-3']);
    expect(Array.from(later.agree)).toEqual([0b01, 0, 0]);
    expect(split.perRule[0]!.splitBlocks).toBe(1);
    // At or under the size the block is compared whole; a rule without further keys is never split.
    expect(candidatePairs(records, [narrowName], { maxBlockSize: 100, splitBlockSize: 5 }).count).toBe(10);
    expect(candidatePairs(records, [byName], { maxBlockSize: 100, splitBlockSize: 2 }).count).toBe(10);
  });

  it('pairs a large split block by its further keys exactly as its definition says, by x then y', () => {
    // 150 records of one name, with phones, communes and gaps drawn so that some pairs share one further
    // key, some two, some none; a rule before it proposes some first.
    const narrowName: BlockingRule = { ...byName, narrowBy: [(r) => r.phone, (r) => r.commune] };
    const byBirth: BlockingRule = { name: 'birth', uses: ['birth_date'], key: (r, k) => r.birthDigits !== null && k.add(r.birthDigits) };
    const records = Array.from({ length: 150 }, (_, i) =>
      record(i, {
        name: 'Nguyễn Văn An',
        ...(i % 7 === 0 ? {} : { phone: `09120000${String(i % 11).padStart(2, '0')}` }),
        ...(i % 5 === 0 ? {} : { commune: `0000${i % 13}` }),
        birth: `19${50 + (i % 40)}-01-01`,
      }),
    );
    const expected: string[] = [];
    const shares = (x: number, y: number, key: (r: (typeof records)[number]) => string | null) => key(records[x]!) !== null && key(records[x]!) === key(records[y]!);
    const birthOf = (r: (typeof records)[number]) => r.birthDate;
    // The birth rule's pairs first (each block's pairs by x, then y), then the name's split block by x, then y.
    const byBirthYear = new Map<string, number[]>();
    records.forEach((r, i) => byBirthYear.set(birthOf(r)!, [...(byBirthYear.get(birthOf(r)!) ?? []), i]));
    for (const members of byBirthYear.values()) for (let x = 0; x < members.length; x++) for (let y = x + 1; y < members.length; y++) expected.push(`${members[x]}-${members[y]}`);
    for (let x = 0; x < 150; x++) {
      for (let y = x + 1; y < 150; y++) {
        if (shares(x, y, birthOf)) continue;
        if (shares(x, y, (r) => r.phone ?? null) || shares(x, y, (r) => r.commune ?? null)) expected.push(`${x}-${y}`);
      }
    }
    const result = candidatePairs(records, [byBirth, narrowName], { maxBlockSize: 500, splitBlockSize: 20 });
    expect(result.perRule[1]!.splitBlocks).toBe(1);
    expect(pairsOf(result)).toEqual(expected);
    expect(result.count).toBeLessThan((150 * 149) / 2);
  });

  it('decides a split on the block size over all records when an incremental run gives it', () => {
    const narrowName: BlockingRule = { ...byName, narrowBy: [(r) => r.phone] };
    const records = [record(0, { name: 'Lê Thị Hoa', phone: '0912000001' }), record(1, { name: 'Lê Thị Hoa' })];
    const options = { maxBlockSize: 100, splitBlockSize: 10, changed: Uint8Array.of(0, 1) };
    expect(candidatePairs(records, [narrowName], options).count).toBe(1);
    // The history holds 40 more of that name: the block is split, and the two share no phone.
    expect(candidatePairs(records, [narrowName], { ...options, blockSize: (_, __, local) => local + 40 }).count).toBe(0);
  });

  it('reduces a word to its consonant skeleton: vowel slips and doubled letters vanish, consonants stay', () => {
    expect(skeletonOf('coppacok')).toBe(skeletonOf('coppock'));
    expect(skeletonOf('bengier')).toBe('bngr');
    expect(skeletonOf('benger')).toBe('bngr');
    expect(skeletonOf('anna')).toBe('an');
    expect(skeletonOf('nguyen')).not.toBe(skeletonOf('nhuyen')); // ng and nh stay apart
  });

  it('proposes the pair of one person with a slip in every field', () => {
    const background = Array.from({ length: 30 }, (_, i) => record(i, { name: `Trần Văn Người${i}`, birth: `19${50 + i}-03-04` }));
    const n = background.length;
    const cases: [string, Parameters<typeof record>[1], Parameters<typeof record>[1]][] = [
      // a vowel slip in the family name, the month wrong
      ['family and month', { name: 'Benger Heather', birth: '1984-08-03' }, { name: 'Bengier Heather', birth: '1984-07-03' }],
      // the given name replaced, the family name mistyped, the date right
      ['both names', { name: 'Capel Benjamin', birth: '1909-05-22' }, { name: 'Cpael Joshua', birth: '1909-05-22' }],
      // one word only on one side, the year wrong
      ['one word, year', { name: 'Kelly Grace', birth: '1991-04-26' }, { name: 'Grace', birth: '1997-04-26' }],
      // no date on one side, a letter dropped in the given name
      ['no date', { name: 'Dooley Kynan', birth: '1931-09-24' }, { name: 'Dooley Kyan', birth: null }],
    ];
    cases.forEach(([what, a, b], k) => {
      const records = [...background, record(n, a), record(n + 1, b)];
      const pairs = pairsOf(candidatePairs(records, DEFAULT_BLOCKING_RULES, { maxBlockSize: 500 }));
      expect(pairs, `${what} (${k})`).toContain(`${n}-${n + 1}`);
    });
  });

  // Blocking names a block by the hash of its key's parts as written, the nights by hash64 of the key's text
  // in link_key: the two must agree for every rule and record, or a night's blocks are not the full run's.
  it('hashes every key as hash64 hashes its text', () => {
    const { records } = syntheticVietnamese(5_000, 11);
    const prepared = prepareRecords(records);
    let keyed = 0;
    for (const r of prepared) {
      for (const rule of DEFAULT_BLOCKING_RULES) {
        const text = keyText(rule, r);
        expect(hashKey(rule, r), rule.name).toBe(text !== null);
        if (text === null) continue;
        keyed++;
        const hashed = [HASH64[0], HASH64[1]];
        hash64(text);
        expect(hashed, `${rule.name}: ${text}`).toEqual([HASH64[0], HASH64[1]]);
      }
    }
    expect(keyed).toBeGreaterThan(5 * records.length);
  });

  // link_key holds these keys' hashes across versions: a change to a key's text must raise KEYS_VERSION
  // (src/link/scope.ts) so that the next run writes them again. This pins every rule's text.
  it("writes each rule's key as it always has", () => {
    const full = { ...record(0, { name: 'Huỳnh Thị Ngọc Thủy', birth: '1990-03-15', id: '079190001234', phone: '0912345678', commune: '26734', address: 'Ấp 3' }), guardianKey: 'tran thi lan' };
    const oneWord = record(1, { name: 'Grace', birth: '2001' });
    const oneWordDay = record(2, { name: 'Grace', birth: '2001-05-06' });
    const expected: [string, string | null, string | null, string | null][] = [
      ['citizen_id', '079190001234', null, null],
      ['phone', '0912345678', null, null],
      ['name+birth_year', 'huynh thi ngoc thuy|1990', 'grace|2001', 'grace|2001'],
      ['sorted_name+birth_year', 'huynh ngoc thi thuy|1990', 'grace|2001', 'grace|2001'],
      ['given+birth_date', 'thuy|19900315', null, 'grace|20010506'],
      ['family+given_initial+birth_date', 'hoang|t|19900315', null, 'grace||20010506'],
      ['birth_date+commune', '19900315|26734', null, null],
      ['sorted_name+birth_day_of_year', 'huynh ngoc thi thuy|0315', null, 'grace|0506'],
      ['sorted_name+commune', 'huynh ngoc thi thuy|26734', null, null],
      ['guardian_given+birth_date', 'lan|19900315', null, null],
      ['given+birth_year', 'thuy|1990', 'grace|2001', 'grace|2001'],
      ['name_skeleton', 'hn ngc t t', 'grc', 'grc'],
      ['birth_date', '19900315', null, '20010506'],
      ['family', 'huynh', 'grace', 'grace'],
      ['given', 'thuy', 'grace', 'grace'],
      ['family+given_initial', 'huynh|t', null, null],
      ['given+family_initial', 'thuy|h', null, null],
    ];
    const [a, b, c] = [full, oneWord, oneWordDay].map((r) => blockingKeys(r, DEFAULT_BLOCKING_RULES));
    expect(DEFAULT_BLOCKING_RULES.map((rule, k) => [rule.name, a![k], b![k], c![k]])).toEqual(expected);
  });

  it('gives each rule its key for one record, null where it does not apply', () => {
    const keys = blockingKeys(record(0, { name: 'Nguyễn Văn An', birth: '1990' }), DEFAULT_BLOCKING_RULES);
    const named = new Map(DEFAULT_BLOCKING_RULES.map((r, k) => [r.name, keys[k]]));
    expect(named.get('name+birth_year')).toBe('nguyen van an|1990');
    expect(named.get('citizen_id')).toBeNull();
    expect(named.get('given+birth_date')).toBeNull(); // year only: no full date
  });

  // The definition (module comment, BlockingRule) written the plain way, with maps of keys, against the
  // engine's typed arrays: rules with their own cap (kept as SparseBlocks) before, between and after the
  // others, more than 8 and 16 of them (marks of 16 and 32 bits, the highest used), split blocks, capped ones, `changed`.
  it('proposes exactly the pairs of its definition, in its order, whichever rules have their own cap', () => {
    const random = seededRandom(17);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const records = Array.from({ length: 400 }, (_, i) =>
      record(i, {
        name: `${pick(['Nguyễn', 'Trần', 'Lê'])} ${pick(['Văn', 'Thị'])} ${pick(['An', 'Bình', 'Chi', 'Dũng', 'Hoa', 'Lan', 'Minh'])}`,
        birth: random() < 0.1 ? null : `19${pick(['80', '81', '82'])}-0${pick(['1', '2'])}-1${pick(['1', '2', '3'])}`,
        phone: random() < 0.3 ? null : `09120000${pick(['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12'])}`,
        commune: random() < 0.2 ? null : pick(['00001', '00002', '00003']),
      }),
    );
    const prepared = prepareRecords(records);
    const keyed = (name: string, key: BlockingRule['key'], more: Partial<BlockingRule> = {}): BlockingRule => ({ name, uses: [], key, ...more });
    const narrow: NonNullable<BlockingRule['narrowBy']> = [(r) => r.phone, (r) => r.commune];
    const base = [
      keyed('phone', byPhone.key),
      keyed('name+year', (r, k) => !!r.nameKey && !!r.birthYear && k.add(r.nameKey) && k.add(r.birthYear), { narrowBy: narrow }),
      keyed('given+date', (r, k) => !!r.given && !!r.birthDigits && k.add(r.given) && k.add(r.birthDigits), { maxBlockSize: 6 }),
      keyed('commune+day', (r, k) => !!r.commune && !!r.birthDigits && k.add(r.commune) && k.addFrom(r.birthDigits, 4), { narrowBy: [(r) => r.given] }),
      keyed('family+given', (r, k) => !!r.family && !!r.given && k.add(r.family) && k.add(r.given), { maxBlockSize: 25, narrowBy: narrow }),
      keyed('date', (r, k) => r.birthDigits !== null && k.add(r.birthDigits), { maxBlockSize: 12 }),
    ];
    // Selective copies of every rule, each with a cap of its own, to pass 8 and 16 rules with one.
    const selective = (times: number) =>
      Array.from({ length: times }, (_, t) => base.map((rule) => ({ ...rule, name: `${rule.name}#${t}`, maxBlockSize: 4 + ((t * 7) % 20) }))).flat();
    // The last two: 32 rules, agree bit 31 in use; 32 with a cap of their own, marks' bit 31 too.
    const ruleSets = [base, [...base].reverse(), [...selective(2), ...base], [...base, ...selective(5)].slice(0, 32), selective(6).slice(0, 32)];
    const changed = Uint8Array.from(records, () => (random() < 0.2 ? 1 : 0));
    for (const [s, rules] of ruleSets.entries()) {
      for (const options of [
        { maxBlockSize: 30 },
        { maxBlockSize: 30, splitBlockSize: 5 },
        { maxBlockSize: 60, splitBlockSize: 8, changed },
        // An incremental run's block sizes over the whole history: some blocks larger than here, past a cap or a split.
        { maxBlockSize: 30, splitBlockSize: 6, changed, blockSize: (rule, _high, low, local) => local + ((rule + low) % 3 === 0 ? 25 : 0) },
      ] as BlockingOptions[]) {
        const got = candidatePairs(records, rules, options);
        const expected = definedPairs(prepared, rules, options);
        const what = `rule set ${s}, ${JSON.stringify({ ...options, changed: options.changed !== undefined, blockSize: options.blockSize !== undefined })}`;
        expect(pairsOf(got), what).toEqual(expected.map((p) => p.pair));
        expect(Array.from(got.agree), what).toEqual(expected.map((p) => p.agree));
      }
    }
  });

  // Its time is `npm run bench`'s (blocking of the million-row link), not a unit test's.
  it('blocks 200,000 realistic rows into a few pairs per row', () => {
    const { records } = syntheticVietnamese(100_000, 3);
    const result = candidatePairs(records, DEFAULT_BLOCKING_RULES, { maxBlockSize: 500 });
    expect(result.count).toBeLessThan(5 * records.length);
    expect(result.count).toBeGreaterThan(records.length / 2);
  });
});

/**
 * Candidate pairs as the module defines them, with maps: rule by rule, each rule's blocks in the order of
 * their first record, each block's pairs by x then y; a pair is proposed by a rule when the two share one of
 * its blocks that is not over the cap (by its size over all records, `blockSize`; a split one: only if they
 * share a further key), and
 * emitted by the first rule that proposes it; it agrees on every rule whose whole (unsplit) block it shares.
 */
function definedPairs(records: RecordTable, rules: readonly BlockingRule[], options: BlockingOptions): { pair: string; agree: number }[] {
  const n = records.length;
  const all = Array.from({ length: n }, (_, i) => records.at(i)!);
  const blocksOf = rules.map((rule) => {
    const blocks = new Map<string, number[]>();
    all.forEach((r, i) => {
      const key = keyText(rule, r);
      if (key !== null) blocks.set(key, [...(blocks.get(key) ?? []), i]);
    });
    return blocks;
  });
  const status = (k: number, key: string | null): 'none' | 'whole' | 'split' => {
    if (key === null) return 'none';
    const local = blocksOf[k]!.get(key)!.length;
    hash64(key);
    const size = options.blockSize ? options.blockSize(k, HASH64[0]!, HASH64[1]!, local) : local;
    const rule = rules[k]!;
    if (local < 2 || size > Math.min(options.maxBlockSize, rule.maxBlockSize ?? Infinity)) return 'none';
    return size > (options.splitBlockSize ?? Infinity) && (rule.narrowBy?.length ?? 0) > 0 ? 'split' : 'whole';
  };
  const shareFurther = (k: number, i: number, j: number) => rules[k]!.narrowBy!.some((f) => f(all[i]!) !== null && f(all[i]!) === f(all[j]!));
  const together = (k: number, i: number, j: number) => {
    const key = keyText(rules[k]!, all[i]!);
    return key !== null && key === keyText(rules[k]!, all[j]!) ? status(k, key) : 'none';
  };
  const proposes = (k: number, i: number, j: number) => {
    const how = together(k, i, j);
    return how === 'whole' || (how === 'split' && shareFurther(k, i, j));
  };
  const out: { pair: string; agree: number }[] = [];
  rules.forEach((_, k) => {
    for (const members of blocksOf[k]!.values()) {
      for (let x = 0; x < members.length; x++) {
        for (let y = x + 1; y < members.length; y++) {
          const [i, j] = [members[x]!, members[y]!];
          if (options.changed && options.changed[i] !== 1 && options.changed[j] !== 1) continue;
          if (!proposes(k, i, j) || rules.slice(0, k).some((__, r) => proposes(r, i, j))) continue;
          const agree = rules.reduce((bits, __, r) => (together(r, i, j) === 'whole' ? bits | (1 << r) : bits), 0);
          out.push({ pair: `${i}-${j}`, agree: agree >>> 0 });
        }
      }
    }
  });
  return out;
}
