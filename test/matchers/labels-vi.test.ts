/**
 * The Vietnamese catalogue of the matcher's words (issue 16 items 2 and 5): every comparison level and every
 * hard rule's reason has its Vietnamese beside its English, and the English reasons stay what the rules say.
 */
import { describe, expect, it } from 'vitest';
import { COMPARISON_NAMES_VI, DEFAULT_COMPARISONS, RULE_REASONS, ruleReasonVi } from '../../matchers/index.js';
import { GUARDIAN_CHILD_MIN_YEARS, PARENT_CHILD_MIN_YEARS } from '../../matchers/rules.js';
import { englishIn } from '../console/english.js';

describe('the Vietnamese catalogue of levels and rule reasons', () => {
  it('names every level of every default comparison in Vietnamese, distinct within its comparison', () => {
    for (const c of DEFAULT_COMPARISONS) {
      expect(COMPARISON_NAMES_VI[c.name], c.name).toMatch(/\S/);
      const labels = c.levels.map((l) => l.labelVi);
      for (const [k, label] of labels.entries()) expect(label, `${c.name}.${c.levels[k]!.key}`).toMatch(/\S/);
      expect(new Set(labels).size, c.name).toBe(labels.length);
    }
  });

  it('translates every rule reason, the constants in the English text included', () => {
    expect(RULE_REASONS.same_id_birth_far_apart.en).toContain(`${PARENT_CHILD_MIN_YEARS}+ years`);
    expect(RULE_REASONS.guardian_and_child.en).toContain(`${GUARDIAN_CHILD_MIN_YEARS}+ years`);
    for (const { en, vi } of Object.values(RULE_REASONS)) expect(ruleReasonVi(en)).toBe(vi);
    expect(ruleReasonVi('a reason no rule gives')).toBeNull();
  });

  it("the console scans find the catalogue's English, and only as whole words", () => {
    expect(englishIn('Giới: female; vắc xin COVID-VEROCELL; same day')).toEqual(expect.arrayContaining(['female', 'COVID-VEROCELL', 'same day', 'same']));
    expect(englishIn('Giới: Nữ; vắc xin COVID-19 Vero Cell; ngày sinh trùng; DPT-VGB-Hib')).toEqual([]);
  });
});
