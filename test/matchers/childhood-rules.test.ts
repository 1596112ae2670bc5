/** Childhood (TCMR) records: the guardian comparison and the hard rules for guardians, siblings and twins (issue 14). */
import { describe, expect, it } from 'vitest';
import { guardianComparison } from '../../matchers/comparisons.js';
import { prepareRecord, type MatchRecord, type PreparedRecord } from '../../matchers/record.js';
import { guardianAndChild, siblingsApart, twinsPreNaming, vetoOf } from '../../matchers/rules.js';
import { soundKey } from '../../matchers/strings.js';
import { asciiKey } from '../../src/base/text.js';

let next = 0;
function row(p: { name?: string | null; guardian?: string | null; birth?: string | null; sex?: 'male' | 'female' | null; preNaming?: boolean }): PreparedRecord {
  const r: MatchRecord = {
    id: next++,
    nameKey: p.name ? asciiKey(p.name) : null,
    nameFull: p.name ?? null,
    birthDate: p.birth ?? null,
    sex: p.sex ?? null,
    citizenId: null,
    citizenIdKind: null,
    phone: '0912345678',
    commune: '09999',
    address: 'Thôn 3',
    guardianKey: p.guardian ? asciiKey(p.guardian) : null,
    preNaming: p.preNaming ?? false,
  };
  return prepareRecord(r);
}

const LAN = 'Nguyễn Thị Lan';

describe('guardianComparison', () => {
  const level = (a: string, b: string) => guardianComparison.compare(row({ guardian: a }), row({ guardian: b }));
  it('grades guardian names: same, one edit, words contained (given name only, middle missing), two edits, different', () => {
    expect(level(LAN, 'Nguyen Thi Lan')).toBe(guardianComparison.level.same);
    expect(level(LAN, 'Nguyễn Thị Lanh')).toBe(guardianComparison.level.oneEdit);
    expect(level(LAN, 'Lan')).toBe(guardianComparison.level.contained);
    expect(level(LAN, 'Nguyễn Lan')).toBe(guardianComparison.level.contained);
    expect(level(LAN, 'Nguyễn Thu Lanh')).toBe(guardianComparison.level.twoEdits);
    expect(level(LAN, 'Trần Thị Hoa')).toBe(guardianComparison.level.different);
    expect(guardianComparison.compare(row({ guardian: LAN }), row({}))).toBe(-1);
  });
});

describe('guardian and child', () => {
  const mother = row({ name: LAN, birth: '1995-03-02', sex: 'female' });
  it("vetoes a child's row against its mother's, named or by the placeholder's guardian", () => {
    expect(guardianAndChild.check(row({ name: 'Trần Minh Khoa', guardian: LAN, birth: '2024-05-06' }), mother)).toMatch(/mother or guardian/);
    expect(guardianAndChild.check(mother, row({ preNaming: true, guardian: 'Lan', birth: '2024-05-06' }))).toMatch(/mother or guardian/);
    // no birth date, but the name is the guardian's
    expect(guardianAndChild.check(row({ preNaming: true, guardian: LAN }), row({ name: LAN }))).not.toBeNull();
  });
  it("vetoes a child's row and a record born 14+ years earlier, unless one digit apart", () => {
    expect(guardianAndChild.check(row({ preNaming: true, birth: '2024-05-06' }), row({ name: 'Lò Thị Ún', birth: '2001-01-01' }))).toMatch(/14\+ years/);
    expect(guardianAndChild.check(row({ name: 'Trần Khoa', guardian: LAN, birth: '2024-05-06' }), row({ name: 'Trần Khoa', birth: '1024-05-06' }))).toBeNull();
    // adults without guardians: not this rule's business
    expect(guardianAndChild.check(row({ name: 'A B', birth: '2000-01-01' }), row({ name: 'A B', birth: '1960-01-01' }))).toBeNull();
  });
});

describe('siblings', () => {
  it('vetoes two children of one mother born 9+ months apart, placeholders included', () => {
    const a = row({ preNaming: true, guardian: LAN, birth: '2023-01-10' });
    const b = row({ preNaming: true, guardian: 'Nguyen Thi Lan', birth: '2024-03-02' });
    expect(siblingsApart.check(a, b)).toMatch(/siblings/);
    expect(siblingsApart.check(row({ name: 'Trần Minh Khoa', guardian: LAN, birth: '2023-01-10' }), b)).toMatch(/siblings/);
  });
  it('stands aside for one child with a mistyped date: same given name, one digit, day and month swapped, under 9 months', () => {
    const g = { guardian: LAN };
    expect(siblingsApart.check(row({ ...g, name: 'Trần Khoa', birth: '2023-01-10' }), row({ ...g, name: 'Tran Khoa', birth: '2024-06-10' }))).toBeNull();
    expect(siblingsApart.check(row({ ...g, preNaming: true, birth: '2023-01-10' }), row({ ...g, name: 'Trần Khoa', birth: '2023-01-18' }))).toBeNull();
    expect(siblingsApart.check(row({ ...g, preNaming: true, birth: '2023-01-12' }), row({ ...g, name: 'Trần Khoa', birth: '2023-12-01' }))).toBeNull();
    expect(siblingsApart.check(row({ ...g, preNaming: true, birth: '2023-01-12' }), row({ ...g, name: 'Trần Khoa', birth: '2023-07-01' }))).toBeNull();
    expect(siblingsApart.check(row({ guardian: 'Trần Thị Hoa', preNaming: true, birth: '2023-01-12' }), row({ ...g, name: 'Trần Khoa', birth: '2024-07-01' }))).toBeNull();
  });
});

describe("twins' pre-naming rows", () => {
  const g = { guardian: LAN, birth: '2024-02-03' };
  const named = (name: string, sex: 'male' | 'female', n = 3) => Array.from({ length: n }, () => row({ ...g, name, sex }));

  function rulesFor(records: PreparedRecord[]) {
    const rules = twinsPreNaming(records);
    return (a: PreparedRecord, b: PreparedRecord) => {
      for (const rule of rules) {
        const reason = rule.check(a, b);
        if (reason !== null) return { rule: rule.name, outcome: rule.outcome ?? 'veto' };
      }
      return null;
    };
  }

  it('sends a placeholder row of same-sex twins to review against either twin and the other placeholders', () => {
    const anh = named('Trần Minh Anh', 'female');
    const chau = named('Trần Minh Châu', 'female');
    const p1 = row({ ...g, preNaming: true, sex: 'female' });
    const p2 = row({ ...g, preNaming: true });
    const judge = rulesFor([...anh, ...chau, p1, p2]);
    expect(judge(p1, anh[0]!)).toEqual({ rule: 'twins_pre_naming', outcome: 'review' });
    expect(judge(p2, chau[0]!)).toEqual({ rule: 'twins_pre_naming', outcome: 'review' });
    expect(judge(p1, p2)).toEqual({ rule: 'twins_pre_naming', outcome: 'review' });
    expect(judge(anh[0]!, anh[1]!)).toBeNull();
  });

  it('lets sex separate twins of both sexes', () => {
    const khoa = named('Trần Minh Khoa', 'male');
    const chau = named('Trần Minh Châu', 'female');
    const boy = row({ ...g, preNaming: true, sex: 'male' });
    const judge = rulesFor([...khoa, ...chau, boy]);
    expect(judge(boy, khoa[0]!)).toBeNull();
    expect(judge(boy, chau[0]!)).toEqual({ rule: 'twins_pre_naming_sex', outcome: 'veto' });
    expect(judge(row({ ...g, preNaming: true }), khoa[0]!)).toEqual({ rule: 'twins_pre_naming', outcome: 'review' });
  });

  it('sees no twins in one child whose name is spelled two ways, typed once wrongly, or in two mothers of one given name', () => {
    const spelled = [...named('Giàng Seo Chừ', 'male'), ...named('Giàng Seo Trừ', 'male')];
    const typo = [...named('Trần Minh Khoa', 'male'), row({ ...g, name: 'Trần Minh Kohx', sex: 'male' })];
    const mothers = [...named('Trần Minh Khoa', 'male'), ...Array.from({ length: 3 }, () => row({ guardian: 'Lê Thị Lan', birth: g.birth, name: 'Phạm Bảo', sex: 'male' }))];
    // two mothers Nguyễn Thu Trang and Nguyễn Thị Thanh Trang, one row of each child's saying only `Nguyễn Trang`
    const trang = { guardian: 'Nguyễn Thu Trang', birth: g.birth };
    const thanhTrang = { guardian: 'Nguyễn Thị Thanh Trang', birth: g.birth };
    const contained = [
      ...Array.from({ length: 3 }, () => row({ ...trang, name: 'Lý Quang Cường', sex: 'male' as const })),
      row({ guardian: 'Nguyễn Trang', birth: g.birth, name: 'Đào Thị Trâm', sex: 'female' }),
      ...Array.from({ length: 3 }, () => row({ ...thanhTrang, name: 'Đào Thị Trâm', sex: 'female' as const })),
    ];
    const pTrang = row({ ...trang, preNaming: true });
    expect(rulesFor([...contained, pTrang])(pTrang, contained[0]!)).toBeNull();
    for (const records of [spelled, typo, mothers]) {
      const p = row({ ...g, preNaming: true, sex: 'male' });
      expect(rulesFor([...records, p])(p, records[0]!)).toBeNull();
    }
    expect(soundKey('tru')).toBe(soundKey('chu'));
    expect(soundKey('gie')).toBe(soundKey('de'));
  });

  it('is not among the pair rules explain uses without the run (vetoOf)', () => {
    expect(vetoOf(row({ ...g, preNaming: true }), row({ ...g, name: 'Trần Minh Anh' }))).toBeNull();
  });
});
