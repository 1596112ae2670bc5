/**
 * Vaccine names as stations type them (`AstraZeneca`, `AZ`, `Vắc xin Sởi - Rubella`, `Vero Cell (Sinopharm)`),
 * resolved to the vaxsync catalogue: the COVID-19 vaccines used in Vietnam (DOMAIN.md §5.1) and the vaccines of
 * the childhood programme, Tiêm chủng mở rộng (DOMAIN §5.3).
 *
 * Any alias in the catalogue is a legitimate name of the product, so recognising one is not a finding; only
 * a name the catalogue does not know, or one naming two different vaccines, is.
 */
import { cleaned, finding, isBlank, type Cleaned } from './finding.js';
import { asciiKey, compactKey } from '../base/text.js';
import type { Vaccine } from './types.js';

/**
 * Codes are stored in databases (`record.vaccine_code`, `dose.vaccine_code`): a code once issued stays valid
 * with the same meaning. New products get new codes; the first nineteen are the original catalogue.
 */
export const VACCINE_CODES = [
  'COVID-AZ', 'COVID-PFIZER', 'COVID-MODERNA', 'COVID-VEROCELL', 'COVID-SPUTNIK', 'COVID-JANSSEN', 'COVID-HAYAT',
  'COVID-ABDALA', 'COVID-COVAXIN', 'COVID-NANOCOVAX',
  'BCG', 'HEPB-BIRTH', 'DPT-VGB-HIB', 'OPV', 'IPV', 'MEASLES', 'MR', 'DPT', 'JE',
  // Issue 13: the service (private) sector's products and the other programme products, by antigen content.
  'HEXA', 'DTAP-IPV-HIB', 'DTAP-IPV', 'TDAP', 'TD', 'TT', 'HEPB-MONO', 'MMR', 'JE-LIVE', 'ROTA', 'PCV', 'VARICELLA',
  'HPV', 'MEN-ACWY', 'MEN-BC', 'TYPHOID', 'HEPA', 'FLU', 'HIB',
] as const;
export type VaccineCode = (typeof VACCINE_CODES)[number];

/**
 * What a product protects against, as the schedule counts it (DOMAIN.md §5.3: doses count by antigen, not by
 * product). Polio is two antigens here because the programme has an oral series and an injected dose.
 */
export const ANTIGENS = [
  'covid19', 'bcg', 'hepb', 'diphtheria', 'tetanus', 'pertussis', 'hib', 'polio_oral', 'polio_inactivated', 'measles',
  'mumps', 'rubella', 'je', 'rotavirus', 'pneumococcal', 'varicella', 'hpv', 'meningococcal', 'typhoid', 'hepa', 'influenza',
] as const;
export type Antigen = (typeof ANTIGENS)[number];

export interface VaccineEntry extends Vaccine {
  readonly code: VaccineCode;
  /**
   * `covid`: COVID-19 (DOMAIN §5.1); `tcmr`: the childhood programme, Tiêm chủng mở rộng (DOMAIN §5.3);
   * `service`: products of the service (private) sector, whose doses count for the programme by antigen.
   */
  readonly kind: 'covid' | 'tcmr' | 'service';
  readonly antigens: readonly Antigen[];
  /** Doses in the primary series (for TCMR: of the schedule in DOMAIN §5.3), null where no source gives it. */
  readonly doses: number | null;
  /** Other names stations use: trade and common names, Vietnamese with or without diacritics, abbreviations. */
  readonly aliases: readonly string[];
}

export const VACCINES: readonly VaccineEntry[] = [
  // COVID-19 vaccines authorised in Vietnam 2021–2022, with the primary series as published there (DOMAIN §5.1).
  {
    code: 'COVID-AZ', name: 'AstraZeneca', kind: 'covid', antigens: ['covid19'], doses: 2,
    // Covishield is the same vaccine made by the Serum Institute of India; ChAdOx1 / AZD1222 are its lab names.
    aliases: ['Astra Zeneca', 'AZ', 'Vaxzevria', 'Covishield', 'ChAdOx1', 'ChAdOx1 nCoV-19', 'AZD1222', 'Oxford AstraZeneca', 'Astrazeneka', 'Astra Zenaca', 'Asrazeneca'],
  },
  {
    code: 'COVID-PFIZER', name: 'Pfizer-BioNTech', kind: 'covid', antigens: ['covid19'], doses: 2,
    // The paediatric Pfizer (5–<12, DOMAIN §5.2) is the same product line and shares the code.
    aliases: ['Pfizer', 'Comirnaty', 'BioNTech', 'BNT162b2', 'Pfizer trẻ em', 'Pfizer nhi', 'Pfizer 5-11 tuổi', 'Phizer', 'Pfizer BioNTech', 'Pfize', 'Fizer'],
  },
  {
    code: 'COVID-MODERNA', name: 'Moderna', kind: 'covid', antigens: ['covid19'], doses: 2,
    aliases: ['Spikevax', 'mRNA-1273', 'Moderna trẻ em', 'Modena', 'Moderma'],
  },
  {
    code: 'COVID-VEROCELL', name: 'Vero Cell', kind: 'covid', antigens: ['covid19'], doses: 2,
    aliases: ['Sinopharm', 'BIBP', 'BBIBP-CorV', 'Sinopharm BIBP', 'Vero Cell Sinopharm', 'Verocel', 'Vero Cel', 'Sinopham', 'Sinopharm Vero Cell'],
  },
  { code: 'COVID-SPUTNIK', name: 'Sputnik V', kind: 'covid', antigens: ['covid19'], doses: 2, aliases: ['Sputnik', 'Gam-COVID-Vac', 'Gamaleya', 'Spunik', 'Sputnik-V'] },
  {
    code: 'COVID-JANSSEN', name: 'Janssen', kind: 'covid', antigens: ['covid19'], doses: 1,
    aliases: ['Johnson & Johnson', 'Johnson and Johnson', 'J&J', 'Johnson', 'Jcovden', 'Ad26.COV2.S'],
  },
  // Same antigen as Vero Cell, but a different product with its own passport code (DOMAIN §5.1); interval unconfirmed.
  { code: 'COVID-HAYAT', name: 'Hayat-Vax', kind: 'covid', antigens: ['covid19'], doses: null, aliases: ['Hayat Vax', 'Hayat', 'Hayatvax'] },
  { code: 'COVID-ABDALA', name: 'Abdala', kind: 'covid', antigens: ['covid19'], doses: 3, aliases: ['CIGB-66', 'Abdalla'] },
  { code: 'COVID-COVAXIN', name: 'Covaxin', kind: 'covid', antigens: ['covid19'], doses: 2, aliases: ['BBV152', 'Bharat Biotech'] },
  // Domestic vaccine that stayed in trials: trial participants' doses may still appear in records (DOMAIN §5.1).
  { code: 'COVID-NANOCOVAX', name: 'Nano Covax', kind: 'covid', antigens: ['covid19'], doses: null, aliases: ['Nanogen'] },

  // Childhood programme (TCMR), TT 38/2017/TT-BYT and QĐ 2144/QĐ-BYT for IPV (DOMAIN §5.3).
  { code: 'BCG', name: 'BCG', kind: 'tcmr', antigens: ['bcg'], doses: 1, aliases: ['Lao', 'Phòng lao', 'BGC', 'BCG sơ sinh'] },
  {
    code: 'HEPB-BIRTH', name: 'Viêm gan B sơ sinh', kind: 'tcmr', antigens: ['hepb'], doses: 1,
    aliases: ['VGB sơ sinh', 'Viêm gan B', 'VGB', 'HepB sơ sinh', 'HepB', 'Hep B', 'Viêm gan B liều sơ sinh', 'Hepatitis B'],
  },
  {
    // "5 trong 1" (pentavalent): Quinvaxem, ComBE Five and the Serum Institute's pentavalent vaccine.
    code: 'DPT-VGB-HIB', name: 'DPT-VGB-Hib', kind: 'tcmr', antigens: ['diphtheria', 'tetanus', 'pertussis', 'hepb', 'hib'], doses: 3,
    aliases: ['5 trong 1', '5in1', 'Quinvaxem', 'ComBE Five', 'SII pentavalent', 'Pentavalent', 'DTP-HepB-Hib', 'Quinvacxem', 'Quinvaxim', 'Combe 5', 'DPT-VGB-Hib TCMR', 'Pentavac'],
  },
  {
    code: 'OPV', name: 'OPV', kind: 'tcmr', antigens: ['polio_oral'], doses: 3,
    aliases: ['bOPV', 'Bại liệt uống', 'Polio uống', 'Bại liệt đường uống', 'Polio Sabin', 'tOPV'],
  },
  { code: 'IPV', name: 'IPV', kind: 'tcmr', antigens: ['polio_inactivated'], doses: 1, aliases: ['Bại liệt tiêm', 'Polio tiêm', 'Imovax Polio', 'Imovax', 'Poliorix', 'IPV Sanofi'] },
  { code: 'MEASLES', name: 'Sởi', kind: 'tcmr', antigens: ['measles'], doses: 1, aliases: ['MVVAC', 'Sởi đơn', 'Measles'] },
  {
    code: 'MR', name: 'Sởi - Rubella', kind: 'tcmr', antigens: ['measles', 'rubella'], doses: 1,
    aliases: ['MR', 'Sởi Rubella', 'Measles-Rubella', 'MRVAC', 'MR-VAC', 'Sởi Rubella MRVAC'],
  },
  {
    // The booster at 18 months (bạch hầu - ho gà - uốn ván, mũi 4).
    code: 'DPT', name: 'DPT', kind: 'tcmr', antigens: ['diphtheria', 'tetanus', 'pertussis'], doses: 1,
    aliases: ['DTP', 'Bạch hầu - Ho gà - Uốn ván', 'BH-HG-UV', 'DPT nhắc lại'],
  },
  {
    code: 'JE', name: 'Viêm não Nhật Bản', kind: 'tcmr', antigens: ['je'], doses: 3,
    aliases: ['VNNB', 'Jevax', 'JE', 'Japanese encephalitis', 'Viêm não Nhật Bản B', 'Jeevax', 'Je vax', 'JEEV', 'Jespect', 'Ixiaro'],
  },
  // The service (private) sector and the other products seen in Vietnamese files (DOMAIN §5.3, "children vaccinated
  // in the service sector are vaccinated"), with their antigens: what makes them count for the programme. `doses`
  // is left null: their series are the manufacturers', not the programme's.
  {
    // 6 trong 1: DTaP-IPV-Hib-HepB. Hexyon is Hexaxim's European name.
    code: 'HEXA', name: '6 trong 1 (DTaP-IPV-Hib-VGB)', kind: 'service',
    antigens: ['diphtheria', 'tetanus', 'pertussis', 'polio_inactivated', 'hib', 'hepb'], doses: null,
    aliases: ['Hexaxim', 'Hexyon', 'Infanrix Hexa', 'Infanrix-Hexa', '6 trong 1', '6in1', 'Hexaxin', 'Hexacim', 'Hexaxime', 'Infarix Hexa', 'Infanrix hexa 6 in 1', 'Vaxelis'],
  },
  {
    // Pentaxim is a 5-in-1 WITHOUT hepatitis B (DOMAIN §5.3): it is not the programme's "5 trong 1".
    code: 'DTAP-IPV-HIB', name: 'Pentaxim (DTaP-IPV-Hib)', kind: 'service',
    antigens: ['diphtheria', 'tetanus', 'pertussis', 'polio_inactivated', 'hib'], doses: null,
    aliases: ['Pentaxim', 'Pentaxime', 'Pentacim', 'Pentaxim 5 in 1', 'Infanrix IPV+Hib', 'Infanrix IPV Hib', 'DTaP-IPV-Hib'],
  },
  { code: 'DTAP-IPV', name: 'Tetraxim (DTaP-IPV)', kind: 'service', antigens: ['diphtheria', 'tetanus', 'pertussis', 'polio_inactivated'], doses: null, aliases: ['Tetraxim', 'Tetraxime', '4 trong 1', 'DTaP-IPV', 'Infanrix IPV'] },
  { code: 'TDAP', name: 'Tdap', kind: 'service', antigens: ['diphtheria', 'tetanus', 'pertussis'], doses: null, aliases: ['Adacel', 'Boostrix', 'Tdap', 'Adacel Tdap', 'Boostrix Tdap'] },
  {
    // Td (uốn ván - bạch hầu giảm liều) is also the programme's booster for older children and pregnant women.
    code: 'TD', name: 'Td (uốn ván - bạch hầu)', kind: 'tcmr', antigens: ['diphtheria', 'tetanus'], doses: null,
    aliases: ['Td', 'Uốn ván - Bạch hầu', 'Uốn ván bạch hầu giảm liều', 'UV-BH', 'Td vaccine', 'Tetadif'],
  },
  // "Uốn ván" alone stays unknown: it may be the VAT, a Td or the DPT booster.
  { code: 'TT', name: 'Uốn ván (VAT)', kind: 'tcmr', antigens: ['tetanus'], doses: null, aliases: ['VAT', 'TT', 'Tetavax', 'Vắc xin uốn ván hấp phụ', 'Uốn ván hấp phụ'] },
  {
    // Monovalent hepatitis B after the birth dose (the birth dose keeps its own code, HEPB-BIRTH).
    code: 'HEPB-MONO', name: 'Viêm gan B (đơn giá)', kind: 'service', antigens: ['hepb'], doses: null,
    aliases: ['Engerix-B', 'Engerix', 'Euvax B', 'Euvax', 'Heberbiovac HB', 'Heberbiovac', 'Gene-HBvax', 'GeneHBvax', 'Hepavax-Gene', 'Hepavax', 'Engerix B 10mcg', 'Enrgerix'],
  },
  { code: 'MMR', name: 'Sởi - Quai bị - Rubella (MMR)', kind: 'service', antigens: ['measles', 'mumps', 'rubella'], doses: null, aliases: ['MMR', 'MMR-II', 'MMR II', 'M-M-R II', 'Priorix', 'Sởi Quai bị Rubella', 'Trimovax', 'Priorix MMR'] },
  // Imojev is a live chimeric JE vaccine with its own short series (its first dose counts as a JE dose).
  { code: 'JE-LIVE', name: 'Imojev (VNNB sống)', kind: 'service', antigens: ['je'], doses: null, aliases: ['Imojev', 'Imojeb', 'JE-CV', 'JE chimeric'] },
  { code: 'ROTA', name: 'Rota virus', kind: 'service', antigens: ['rotavirus'], doses: null, aliases: ['Rotarix', 'Rotavin-M1', 'Rotavin', 'Rotateq', 'Rota Teq', 'Rota', 'Rotavirus', 'Tiêu chảy do Rota'] },
  { code: 'PCV', name: 'Phế cầu (PCV)', kind: 'service', antigens: ['pneumococcal'], doses: null, aliases: ['Synflorix', 'Prevenar 13', 'Prevenar13', 'Prevenar', 'Prevnar 13', 'Vaxneuvance', 'Prevenar 20', 'PCV10', 'PCV13', 'Phế cầu', 'Pneumovax 23'] },
  { code: 'VARICELLA', name: 'Thủy đậu', kind: 'service', antigens: ['varicella'], doses: null, aliases: ['Varivax', 'Varilrix', 'Varicella', 'Thủy đậu', 'VGCV', 'Barycela'] },
  { code: 'HPV', name: 'HPV', kind: 'service', antigens: ['hpv'], doses: null, aliases: ['Gardasil', 'Gardasil 9', 'Gardasil9', 'Cervarix', 'Ung thư cổ tử cung'] },
  { code: 'MEN-ACWY', name: 'Não mô cầu ACYW', kind: 'service', antigens: ['meningococcal'], doses: null, aliases: ['Menactra', 'MenQuadfi', 'Menveo', 'Não mô cầu ACYW'] },
  { code: 'MEN-BC', name: 'Não mô cầu BC', kind: 'service', antigens: ['meningococcal'], doses: null, aliases: ['VA-Mengoc-BC', 'Mengoc BC', 'Mengoc', 'Não mô cầu BC'] },
  { code: 'TYPHOID', name: 'Thương hàn', kind: 'service', antigens: ['typhoid'], doses: null, aliases: ['Typhim Vi', 'Typhoid Vi', 'Thương hàn', 'Typhim'] },
  { code: 'HEPA', name: 'Viêm gan A', kind: 'service', antigens: ['hepa'], doses: null, aliases: ['Avaxim', 'Avaxim 80', 'Havax', 'Havrix', 'Viêm gan A'] },
  { code: 'FLU', name: 'Cúm', kind: 'service', antigens: ['influenza'], doses: null, aliases: ['Vaxigrip', 'Vaxigrip Tetra', 'Influvac', 'Influvac Tetra', 'Ivacflu-S', 'GCFlu', 'Cúm', 'Influenza'] },
  { code: 'HIB', name: 'Hib', kind: 'service', antigens: ['hib'], doses: null, aliases: ['Quimi-Hib', 'Hiberix', 'ActHIB', 'Hib'] },
];

const BY_CODE: ReadonlyMap<string, VaccineEntry> = new Map(VACCINES.map((v) => [v.code, v]));

export function vaccineByCode(code: string): VaccineEntry | undefined {
  return BY_CODE.get(code);
}

/**
 * A vaccine as a station, a reviewer or an officer reads it: the catalogue's name, a COVID-19 product named
 * as such (`COVID-19 AstraZeneca`), never the code (`COVID-AZ`); a code the catalogue lacks stays as it is.
 */
export function vaccineNameVi(code: string | null): string | null {
  if (code === null) return null;
  const entry = BY_CODE.get(code);
  if (!entry) return code;
  return entry.kind === 'covid' ? `COVID-19 ${entry.name}` : entry.name;
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

const UNKNOWN = finding('vaccine.unknown');
const AMBIGUOUS = finding('vaccine.ambiguous');

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
