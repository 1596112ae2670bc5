/**
 * Sex (giới tính) to `male` / `female` (DOMAIN.md §3.3). The canonical spellings are `Nam` / `Nữ`; the
 * contract also allows M/F, male/female and 1 (male) / 0 (female).
 */
import { cleaned, finding, isBlank, type Cleaned } from './finding.js';
import { asciiKey } from '../base/text.js';
import type { Sex } from './types.js';

/** Every recognised spelling, as an `asciiKey` (so `NỮ`, `nữ`, `Nu` and NFD `Nữ` all meet at `nu`). */
const SPELLINGS: ReadonlyMap<string, Sex> = new Map([
  ['nam', 'male'], ['m', 'male'], ['male', 'male'], ['1', 'male'], ['nam gioi', 'male'], ['trai', 'male'], ['con trai', 'male'],
  ['nu', 'female'], ['f', 'female'], ['female', 'female'], ['0', 'female'], ['nu gioi', 'female'], ['gai', 'female'], ['con gai', 'female'],
]);

const SPELLING_FIXED = finding('sex.spelling');

export function normalizeSex(raw: string): Cleaned<Sex> {
  if (raw === 'Nam') return cleaned('male');
  if (raw === 'Nữ') return cleaned('female');
  if (isBlank(raw)) return cleaned(null);
  const sex = SPELLINGS.get(asciiKey(raw));
  if (sex === undefined) return cleaned(null, [finding('sex.unknown')]);
  return cleaned(sex, [SPELLING_FIXED]);
}
