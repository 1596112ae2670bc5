import { describe, expect, it } from 'vitest';
import { differentReliableIds, relativeUnderSameId, reliableId, sameIdFarApart, twins, vetoOf } from '../../matchers/rules.js';
import { cccd, prepared, record } from './helpers.js';

describe('different reliable citizen IDs', () => {
  const a = { name: 'Nguyễn Văn An', birth: '1990-01-01', sex: 'male' as const };
  it('vetoes two CCCDs that each agree with their own birth year', () => {
    expect(differentReliableIds.check(prepared({ ...a, id: cccd(1990, 'male', '111111') }), prepared({ ...a, id: cccd(1990, 'male', '222222') }))).toMatch(
      /two different citizen IDs/,
    );
  });
  it('does not veto IDs one typing slip apart', () => {
    expect(differentReliableIds.check(prepared({ ...a, id: cccd(1990, 'male', '111111') }), prepared({ ...a, id: cccd(1990, 'male', '111112') }))).toBeNull();
    expect(differentReliableIds.check(prepared({ ...a, id: cccd(1990, 'male', '111121') }), prepared({ ...a, id: cccd(1990, 'male', '111211') }))).toBeNull();
  });
  it("does not let an ID that contradicts its record's birth year veto (a parent's ID)", () => {
    const child = prepared({ ...a, birth: '2015-03-03', id: cccd(1985, 'male', '111111') });
    expect(reliableId(child)).toBeNull();
    expect(differentReliableIds.check(child, prepared({ ...a, birth: '2015-03-03', id: cccd(2015, 'male', '222222') }))).toBeNull();
  });
  it('does not let a CMND, an invalid value or an unchecked CCCD veto', () => {
    expect(differentReliableIds.check(prepared({ ...a, id: '123456789' }), prepared({ ...a, id: '987654321' }))).toBeNull();
    expect(differentReliableIds.check(prepared({ ...a, id: '6988048' }), prepared({ ...a, id: '1234567' }))).toBeNull();
    const noBirth = { name: a.name };
    expect(differentReliableIds.check(prepared({ ...noBirth, id: cccd(1990, 'male', '1') }), prepared({ ...noBirth, id: cccd(1990, 'male', '2') }))).toBeNull();
  });
});

describe('same ID, births 12+ years apart', () => {
  const parentId = cccd(1985, 'male');
  it("vetoes a child recorded under a parent's ID", () => {
    const parent = prepared({ name: 'Lê Văn Hùng', birth: '1985-01-02', id: parentId });
    const child = prepared({ name: 'Lê Văn Nam', birth: '2016-07-08', id: parentId });
    expect(sameIdFarApart.check(parent, child)).toMatch(/parent's ID/);
  });
  it('does not veto the same name (a wrong birth date), nor one mistyped digit, nor a small gap', () => {
    const a = prepared({ name: 'Lê Văn Hùng', birth: '1985-01-02', id: parentId });
    expect(sameIdFarApart.check(a, prepared({ name: 'Lê Văn Hùng', birth: '2016-07-08', id: parentId }))).toBeNull();
    expect(sameIdFarApart.check(a, prepared({ name: 'Lê Văn Nam', birth: '1965-01-02', id: parentId }))).toBeNull();
    expect(sameIdFarApart.check(a, prepared({ name: 'Lê Văn Nam', birth: '1990-01-02', id: parentId }))).toBeNull();
    expect(sameIdFarApart.check(a, prepared({ name: 'Lê Văn Nam', birth: '2016-07-08', id: cccd(2016, 'male') }))).toBeNull();
  });
});

describe('twins', () => {
  const twinA = { name: 'Trần Minh Anh', birth: '2015-03-04', phone: '0912345678' };
  const twinB = { name: 'Trần Minh Châu', birth: '2015-03-04', phone: '0912345678' };
  it('vetoes same family name and birth day with different given names', () => {
    expect(twins.check(prepared(twinA), prepared(twinB))).toMatch(/twins/);
  });
  it("still vetoes when both carry a parent's ID (it contradicts their birth year)", () => {
    const parentId = cccd(1985, 'female');
    expect(twins.check(prepared({ ...twinA, id: parentId }), prepared({ ...twinB, id: parentId }))).toMatch(/twins/);
  });
  it('stands aside for a given-name typo, a different day, or one consistent ID on both', () => {
    expect(twins.check(prepared(twinA), prepared({ ...twinA, name: 'Trần Minh Ank' }))).toBeNull();
    expect(twins.check(prepared(twinA), prepared({ ...twinB, birth: '2015-03-05' }))).toBeNull();
    const own = cccd(2015, 'male');
    expect(twins.check(prepared({ ...twinA, id: own }), prepared({ ...twinB, id: own }))).toBeNull();
  });
  it('stands aside for a given name with two slips that leave no Vietnamese syllable; holds for two real names two letters apart', () => {
    const a = { name: 'Phan Thị Thu Phương', birth: '1944-03-20' };
    expect(twins.check(prepared(a), prepared({ ...a, name: 'Phan Thị Thu Hpươgn' }))).toBeNull();
    expect(twins.check(prepared({ ...a, name: 'Lê Oan' }), prepared({ ...a, name: 'Lê Aoh' }))).toBeNull();
    expect(twins.check(prepared({ ...a, name: 'Phạm Minh Long' }), prepared({ ...a, name: 'Phạm Minh Lân' }))).toMatch(/twins/);
    expect(twins.check(prepared({ ...a, name: 'Phạm Anh Tuấn' }), prepared({ ...a, name: 'Phạm Anh Tú' }))).toMatch(/twins/);
    // Two names that are no Kinh syllable either of them (Khmer twins): no sign of a slip, the rule holds.
    expect(twins.check(prepared({ ...a, name: 'Thạch Sophal' }), prepared({ ...a, name: 'Thạch Sophon' }))).toMatch(/twins/);
  });
});

describe('vetoOf', () => {
  it('returns the first rule that forbids the link, or null', () => {
    const id = cccd(1990, 'female', '111111');
    expect(vetoOf(record(0, { name: 'Đỗ Thị Mai', birth: '1990-02-02', id }), record(1, { name: 'Đỗ Thị Mai', birth: '1990-02-02', id }))).toBeNull();
    expect(
      vetoOf(record(0, { name: 'Đỗ Thị Mai', birth: '1990-02-02', id }), record(1, { name: 'Đỗ Thị Mai', birth: '1990-02-02', id: cccd(1990, 'female', '999999') }))
        ?.rule,
    ).toBe('different_citizen_ids');
  });
});

describe('a relative under the same ID', () => {
  const motherId = cccd(1992, 'female');
  it("vetoes a woman and a man with different given names under one ID (a mother's ID on her son's row)", () => {
    const mother = prepared({ name: 'Lê Quỳnh Thùy', sex: 'female', id: motherId });
    const son = prepared({ name: 'Huỳnh Thanh Minh', sex: 'male', id: motherId });
    expect(relativeUnderSameId.check(mother, son)).toMatch(/relative's ID/);
  });
  it('leaves a wrong name alone, or a wrong sex alone, to the score', () => {
    const a = prepared({ name: 'Lê Quỳnh Thùy', sex: 'female', id: motherId });
    expect(relativeUnderSameId.check(a, prepared({ name: 'Lê Quỳnh Thủy', sex: 'male', id: motherId }))).toBeNull();
    expect(relativeUnderSameId.check(a, prepared({ name: 'Trần Thị Mai', sex: 'female', id: motherId }))).toBeNull();
    expect(relativeUnderSameId.check(a, prepared({ name: 'Huỳnh Thanh Minh', id: motherId }))).toBeNull();
  });
  it('leaves the same name words in another order (the given name written first) and a wrong sex to the score', () => {
    const a = prepared({ name: 'Lê Quỳnh Thùy', sex: 'female', id: motherId });
    const reordered = prepared({ name: 'Thùy Lê Quỳnh', sex: 'male', id: motherId });
    expect(relativeUnderSameId.check(a, reordered)).toBeNull();
    expect(relativeUnderSameId.check(reordered, a)).toBeNull();
    // Not when a word differs: the rule still sees a relative.
    expect(relativeUnderSameId.check(a, prepared({ name: 'Minh Lê Quỳnh', sex: 'male', id: motherId }))).toMatch(/relative's ID/);
  });
  it('leaves the given name written first with words dropped or mistyped to the score', () => {
    const man = prepared({ name: 'Nguyễn Hoàng Nhân', sex: 'male', id: motherId });
    for (const name of ['Nhân Nguyễn', 'Nhân Nguyễn Hoàng', 'Nhân Ngyuễn']) {
      expect(relativeUnderSameId.check(man, prepared({ name, sex: 'female', id: motherId }))).toBeNull();
      expect(relativeUnderSameId.check(prepared({ name, sex: 'female', id: motherId }), man)).toBeNull();
    }
    // The husband's family name is the wife's given name: not her name written given first.
    const wife = prepared({ name: 'Trần Thị Mai', sex: 'female', id: motherId });
    expect(relativeUnderSameId.check(wife, prepared({ name: 'Mai Văn Tâm', sex: 'male', id: motherId }))).toMatch(/relative's ID/);
    // A son with his mother's family name as a middle name, his father's family name a slip from her given
    // name; a husband likewise: each has a given name of his own, so not her name written given first.
    for (const [woman, man] of [
      ['Lê Thị Hà', 'Hồ Lê Minh'],
      ['Vũ Thị Hằng', 'Hoàng Vũ Long'],
      ['Nguyễn Thị Mai', 'Mai Văn Nguyên'],
      ['Lê Thị Nga', 'Ngô Lê Quang'],
    ]) {
      const w = prepared({ name: woman, sex: 'female', id: motherId });
      const m = prepared({ name: man, sex: 'male', id: motherId });
      expect(relativeUnderSameId.check(w, m), `${woman} / ${man}`).toMatch(/relative's ID/);
      expect(relativeUnderSameId.check(m, w), `${man} / ${woman}`).toMatch(/relative's ID/);
    }
  });
  it('leaves a given name typed into no Vietnamese syllable (two slips) to the score, not two real names', () => {
    const a = prepared({ name: 'Lê Thị Kim Hiền', sex: 'female', id: motherId });
    expect(relativeUnderSameId.check(a, prepared({ name: 'Lê Ihnề', sex: 'male', id: motherId }))).toBeNull();
    expect(relativeUnderSameId.check(a, prepared({ name: 'Lê Văn Hùng', sex: 'male', id: motherId }))).toMatch(/relative's ID/);
  });
});

describe('twins with a slip in the family name', () => {
  it('still vetoes when one row misspells the family name', () => {
    const a = prepared({ name: 'Trương Thị Phương', birth: '2021-05-07', sex: 'female' });
    const b = prepared({ name: 'Trưeng Thị Thu Trúc', birth: '2021-05-07', sex: 'female' });
    expect(twins.check(a, b)).toMatch(/twins/);
  });
});
