/**
 * Vaccine names as stations type them (`AstraZeneca`, `AZ`, `Vắc xin Sởi - Rubella`, `Vero Cell (Sinopharm)`),
 * resolved to the vaxsync catalogue: the COVID-19 vaccines used in Vietnam (DOMAIN.md §5.1) and the vaccines of
 * the childhood programme, Tiêm chủng mở rộng (DOMAIN §5.3).
 *
 * Any alias in the catalogue is a legitimate name of the product, so recognising one is not a finding; only
 * a name the catalogue does not know, or one naming two different vaccines, is.
 */
import { cleaned, invalid, isBlank, type Cleaned } from './finding.js';
import { asciiKey, compactKey } from '../base/text.js';
import type { Vaccine } from './types.js';

export const VACCINE_CODES = [
  'COVID-AZ', 'COVID-PFIZER', 'COVID-MODERNA', 'COVID-VEROCELL', 'COVID-SPUTNIK', 'COVID-JANSSEN', 'COVID-HAYAT',
  'COVID-ABDALA', 'COVID-COVAXIN', 'COVID-NANOCOVAX',
  'BCG', 'HEPB-BIRTH', 'DPT-VGB-HIB', 'OPV', 'IPV', 'MEASLES', 'MR', 'DPT', 'JE',
] as const;
export type VaccineCode = (typeof VACCINE_CODES)[number];

export interface VaccineEntry extends Vaccine {
  readonly code: VaccineCode;
  /** `covid`: COVID-19 (DOMAIN §5.1); `tcmr`: the childhood programme, Tiêm chủng mở rộng (DOMAIN §5.3). */
  readonly kind: 'covid' | 'tcmr';
  /** Doses in the primary series (for TCMR: of the schedule in DOMAIN §5.3), null where no source gives it. */
  readonly doses: number | null;
  /** Other names stations use: trade and common names, Vietnamese with or without diacritics, abbreviations. */
  readonly aliases: readonly string[];
}

export const VACCINES: readonly VaccineEntry[] = [
  // COVID-19 vaccines authorised in Vietnam 2021–2022, with the primary series as published there (DOMAIN §5.1).
  {
    code: 'COVID-AZ', name: 'AstraZeneca', kind: 'covid', doses: 2,
    // Covishield is the same vaccine made by the Serum Institute of India; ChAdOx1 / AZD1222 are its lab names.
    aliases: ['Astra Zeneca', 'AZ', 'Vaxzevria', 'Covishield', 'ChAdOx1', 'ChAdOx1 nCoV-19', 'AZD1222', 'Oxford AstraZeneca'],
  },
  {
    code: 'COVID-PFIZER', name: 'Pfizer-BioNTech', kind: 'covid', doses: 2,
    // The paediatric Pfizer (5–<12, DOMAIN §5.2) is the same product line and shares the code.
    aliases: ['Pfizer', 'Comirnaty', 'BioNTech', 'BNT162b2', 'Pfizer trẻ em', 'Pfizer nhi', 'Pfizer 5-11 tuổi'],
  },
  {
    code: 'COVID-MODERNA', name: 'Moderna', kind: 'covid', doses: 2,
    aliases: ['Spikevax', 'mRNA-1273', 'Moderna trẻ em'],
  },
  {
    code: 'COVID-VEROCELL', name: 'Vero Cell', kind: 'covid', doses: 2,
    aliases: ['Sinopharm', 'BIBP', 'BBIBP-CorV', 'Sinopharm BIBP', 'Vero Cell Sinopharm'],
  },
  { code: 'COVID-SPUTNIK', name: 'Sputnik V', kind: 'covid', doses: 2, aliases: ['Sputnik', 'Gam-COVID-Vac', 'Gamaleya'] },
  {
    code: 'COVID-JANSSEN', name: 'Janssen', kind: 'covid', doses: 1,
    aliases: ['Johnson & Johnson', 'Johnson and Johnson', 'J&J', 'Johnson', 'Jcovden', 'Ad26.COV2.S'],
  },
  // Same antigen as Vero Cell, but a different product with its own passport code (DOMAIN §5.1); interval unconfirmed.
  { code: 'COVID-HAYAT', name: 'Hayat-Vax', kind: 'covid', doses: null, aliases: ['Hayat Vax', 'Hayat'] },
  { code: 'COVID-ABDALA', name: 'Abdala', kind: 'covid', doses: 3, aliases: ['CIGB-66'] },
  { code: 'COVID-COVAXIN', name: 'Covaxin', kind: 'covid', doses: 2, aliases: ['BBV152', 'Bharat Biotech'] },
  // Domestic vaccine that stayed in trials: trial participants' doses may still appear in records (DOMAIN §5.1).
  { code: 'COVID-NANOCOVAX', name: 'Nano Covax', kind: 'covid', doses: null, aliases: ['Nanogen'] },

  // Childhood programme (TCMR), TT 38/2017/TT-BYT and QĐ 2144/QĐ-BYT for IPV (DOMAIN §5.3).
  { code: 'BCG', name: 'BCG', kind: 'tcmr', doses: 1, aliases: ['Lao', 'Phòng lao'] },
  {
    code: 'HEPB-BIRTH', name: 'Viêm gan B sơ sinh', kind: 'tcmr', doses: 1,
    aliases: ['VGB sơ sinh', 'Viêm gan B', 'VGB', 'HepB sơ sinh', 'HepB', 'Hep B', 'Viêm gan B liều sơ sinh', 'Hepatitis B'],
  },
  {
    // "5 trong 1" (pentavalent): Quinvaxem, ComBE Five and the Serum Institute's pentavalent vaccine.
    code: 'DPT-VGB-HIB', name: 'DPT-VGB-Hib', kind: 'tcmr', doses: 3,
    aliases: ['5 trong 1', '5in1', 'Quinvaxem', 'ComBE Five', 'SII pentavalent', 'Pentavalent', 'DTP-HepB-Hib'],
  },
  {
    code: 'OPV', name: 'OPV', kind: 'tcmr', doses: 3,
    aliases: ['bOPV', 'Bại liệt uống', 'Polio uống', 'Bại liệt đường uống'],
  },
  { code: 'IPV', name: 'IPV', kind: 'tcmr', doses: 1, aliases: ['Bại liệt tiêm', 'Polio tiêm'] },
  { code: 'MEASLES', name: 'Sởi', kind: 'tcmr', doses: 1, aliases: ['MVVAC', 'Sởi đơn', 'Measles'] },
  {
    code: 'MR', name: 'Sởi - Rubella', kind: 'tcmr', doses: 1,
    aliases: ['MR', 'Sởi Rubella', 'Measles-Rubella'],
  },
  {
    // The booster at 18 months (bạch hầu - ho gà - uốn ván, mũi 4).
    code: 'DPT', name: 'DPT', kind: 'tcmr', doses: 1,
    aliases: ['DTP', 'Bạch hầu - Ho gà - Uốn ván', 'BH-HG-UV', 'DPT nhắc lại'],
  },
  {
    code: 'JE', name: 'Viêm não Nhật Bản', kind: 'tcmr', doses: 3,
    aliases: ['VNNB', 'Jevax', 'JE', 'Japanese encephalitis', 'Viêm não Nhật Bản B'],
  },
];

const BY_CODE: ReadonlyMap<string, VaccineEntry> = new Map(VACCINES.map((v) => [v.code, v]));

export function vaccineByCode(code: string): VaccineEntry | undefined {
  return BY_CODE.get(code);
}

/** Compact folded name or alias → entry. Two entries claiming one key is a catalogue bug: fail at load. */
const BY_KEY: ReadonlyMap<string, VaccineEntry> = (() => {
  const map = new Map<string, VaccineEntry>();
  for (const entry of VACCINES) {
    for (const name of [entry.name, entry.code, ...entry.aliases]) {
      const key = compactKey(name); // `Verocell` = `Vero Cell`, `AstraZeneca` = `Astra Zeneca`
      const other = map.get(key);
      if (other && other !== entry) throw new Error(`vaccine catalogue: "${name}" names both ${other.code} and ${entry.code}`);
      map.set(key, entry);
    }
  }
  return map;
})();

/**
 * Words around the product name (on `asciiKey` text): vắc xin / vacxin / vaccine, phòng / ngừa ("against"),
 * COVID-19, and `mũi N` (the dose belongs in its own column).
 */
const WRAPPER_WORDS = /\b(?:vac xin|vacxin|vaccine|vaccin|vacin|phong|ngua|covid 19|covid|mui(?: \d+)?)\b/g;
const PARENTHESES = /[([]([^)\]]*)[)\]]/g;

function lookup(text: string): VaccineEntry | undefined {
  const key = asciiKey(text);
  return BY_KEY.get(compactKey(key)) ?? BY_KEY.get(compactKey(key.replace(WRAPPER_WORDS, '')));
}

const UNKNOWN = invalid(
  'vaccine.unknown',
  'The vaccine name is not in the catalogue; use a catalogue name (e.g. AstraZeneca, Pfizer, Moderna, Vero Cell, BCG, 5 trong 1).',
);
const AMBIGUOUS = invalid(
  'vaccine.ambiguous',
  'The vaccine name and the name in brackets are two different vaccines; enter the one that was given.',
);

function resolve(raw: string): Cleaned<Vaccine> {
  let entry = lookup(raw);
  if (!entry && (raw.includes('(') || raw.includes('['))) {
    // `AstraZeneca (Vaxzevria)`, `Lao (BCG)`, `Pfizer (5-11 tuổi)`: the name outside and each name inside.
    const parts = [raw.replace(PARENTHESES, ' '), ...Array.from(raw.matchAll(PARENTHESES), (m) => m[1]!)];
    const found = new Set(parts.map(lookup).filter((e) => e !== undefined));
    if (found.size > 1) return cleaned(null, [AMBIGUOUS]);
    entry = found.values().next().value;
  }
  return entry ? cleaned({ code: entry.code, name: entry.name }) : cleaned(null, [UNKNOWN]);
}

/** The same few dozen spellings repeat over a million rows; bounded so odd free text cannot grow it. */
const CACHE_LIMIT = 1000;
const cache = new Map<string, Cleaned<Vaccine>>();

export function normalizeVaccine(raw: string): Cleaned<Vaccine> {
  const hit = cache.get(raw);
  if (hit) return hit;
  if (isBlank(raw)) return cleaned(null);
  const result = resolve(raw);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(raw, result);
  return result;
}
