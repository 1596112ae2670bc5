/**
 * The notes a registry check carries (`registry_check.note`): written in English for operators (`vaxsync
 * reconcile --out`, logs), read in Vietnamese on a person's page. Each kind of note is made here and read
 * back here, so the two languages cannot drift apart; a stored note is one or more of them joined by "; ".
 */
import { birthDateComparison, nameComparison } from '../../matchers/index.js';
import type { PoliceOutcome } from '../db/schema.js';

const OUTCOME_VI: Readonly<Record<PoliceOutcome, string>> = {
  id_confirmed: 'xác nhận số định danh',
  corrected: 'sửa thông tin',
  not_resident: 'không cư trú tại xã',
  deceased: 'đã mất',
};

/**
 * English level label → the level's own Vietnamese label, one map per comparison (both have a level
 * `different`); with the labels older notes were written with, and the side with no value.
 */
const levelsVi = (levels: readonly { readonly label: string; readonly labelVi?: string }[], older: Readonly<Record<string, string>>) =>
  new Map<string, string>([
    ...Object.entries(older),
    ['missing on one side', 'thiếu ở một bên'],
    ...levels.flatMap((l) => (l.labelVi ? [[l.label, l.labelVi] as const] : [])),
  ]);
const NAME_VI = levelsVi(nameComparison.levels, { 'two edits apart': 'tên gần giống (lệch hai ký tự)' });
const DATE_VI = levelsVi(birthDateComparison.levels, {});

export const registryNote = {
  /** Our record and the registry's identity under one ID describe two people. */
  conflict: (nameLevel: string, birthDateLevel: string) => `name: ${nameLevel}; birth date: ${birthDateLevel}`,
  foundByIdentity: 'citizen ID found by name and birth date',
  ambiguous: (entries: number) => `${entries} registry entries share this name and birth date: review`,
  police: (id: string | number, outcome: PoliceOutcome, officer: string) => `police answer #${id} (${outcome}) by ${officer}`,
  notResident: (id: string | number, officer: string) => `police answer #${id} by ${officer}: not a resident of the commune`,
} as const;

const CONFLICT = /^name: (.+); birth date: (.+)$/;
const READERS: readonly { readonly re: RegExp; readonly vi: (m: RegExpMatchArray) => string }[] = [
  { re: /^citizen ID found by name and birth date$/, vi: () => 'tìm được số định danh theo họ tên và ngày sinh' },
  { re: /^(\d+) registry entries share this name and birth date: review$/, vi: (m) => `${m[1]} người trong CSDL dân cư cùng họ tên và ngày sinh: cần đối chiếu` },
  { re: /^police answer #(\d+) \((\w+)\) by (.+)$/, vi: (m) => `trả lời số ${m[1]} của công an xã (${OUTCOME_VI[m[2] as PoliceOutcome] ?? m[2]}), cán bộ ${m[3]}` },
  { re: /^police answer #(\d+) by (.+): not a resident of the commune$/, vi: (m) => `trả lời số ${m[1]} của công an xã, cán bộ ${m[2]}: không cư trú tại xã` },
];

/** A stored note in Vietnamese; a part no reader knows is kept as written. */
export function registryNoteVi(note: string): string {
  const parts = note.split('; ');
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    // The conflict note holds "; " itself.
    const conflict = i + 1 < parts.length ? `${parts[i]}; ${parts[i + 1]}`.match(CONFLICT) : null;
    if (conflict) {
      out.push(`họ tên: ${NAME_VI.get(conflict[1]!) ?? conflict[1]}; ngày sinh: ${DATE_VI.get(conflict[2]!) ?? conflict[2]}`);
      i++;
      continue;
    }
    // An officer's key name may hold "; " too: the police notes come last, so try the rest as one.
    const rest = readOne(parts.slice(i).join('; '));
    if (rest !== null) {
      out.push(rest);
      break;
    }
    out.push(readOne(parts[i]!) ?? parts[i]!);
  }
  return out.join('; ');
}

function readOne(part: string): string | null {
  for (const reader of READERS) {
    const m = part.match(reader.re);
    if (m) return reader.vi(m);
  }
  return null;
}
