import { describe, expect, it } from 'vitest';
import { normalizeVaccine, VACCINE_CODES, VACCINES, vaccineByCode } from '../../src/clean/vaccine.js';
import { VACCINE_ALIASES } from '../../src/synth/generate.js';

const code = (raw: string) => normalizeVaccine(raw).value?.code ?? null;
const findingCodes = (raw: string) => normalizeVaccine(raw).findings.map((f) => f.code);

describe('vaccine catalogue', () => {
  it('keeps every code databases already hold, first and unchanged; each code once', () => {
    expect(VACCINES.map((v) => v.code).slice(0, 19)).toEqual([
      'COVID-AZ', 'COVID-PFIZER', 'COVID-MODERNA', 'COVID-VEROCELL', 'COVID-SPUTNIK', 'COVID-JANSSEN', 'COVID-HAYAT',
      'COVID-ABDALA', 'COVID-COVAXIN', 'COVID-NANOCOVAX',
      'BCG', 'HEPB-BIRTH', 'DPT-VGB-HIB', 'OPV', 'IPV', 'MEASLES', 'MR', 'DPT', 'JE',
    ]);
    expect(VACCINE_CODES).toEqual(VACCINES.map((v) => v.code));
    expect(new Set(VACCINE_CODES).size).toBe(VACCINE_CODES.length);
  });

  it('tells COVID-19 vaccines from the childhood programme and the service sector', () => {
    for (const v of VACCINES) {
      if (v.code.startsWith('COVID-')) expect(v.kind).toBe('covid');
      else expect(['tcmr', 'service']).toContain(v.kind);
      expect(v.antigens.length, v.code).toBeGreaterThan(0);
    }
  });

  it('recognises the products of the public and service sectors, with their antigens (issue 13)', () => {
    const antigens = (raw: string) => vaccineByCode(code(raw) ?? '')?.antigens;
    for (const raw of ['Hexaxim', 'Infanrix Hexa', 'vắc xin 6 trong 1', 'Hexyon']) {
      expect(antigens(raw), raw).toEqual(['diphtheria', 'tetanus', 'pertussis', 'polio_inactivated', 'hib', 'hepb']);
    }
    expect(antigens('Pentaxim')).not.toContain('hepb'); // DTaP-IPV-Hib: not the programme's 5-in-1
    for (const raw of ['Quinvaxem', 'ComBE Five', 'SII pentavalent', '5 trong 1']) expect(code(raw), raw).toBe('DPT-VGB-HIB');
    for (const raw of ['MRVAC', 'Sởi - Rubella']) expect(code(raw), raw).toBe('MR');
    expect(code('MVVAC')).toBe('MEASLES');
    for (const raw of ['Priorix', 'MMR-II', 'MMR II']) expect(antigens(raw), raw).toEqual(['measles', 'mumps', 'rubella']);
    expect(code('Td')).toBe('TD');
    for (const raw of ['Adacel', 'Boostrix', 'Tdap']) expect(code(raw), raw).toBe('TDAP');
    for (const raw of ['Rotarix', 'Rotavin-M1', 'Rotateq']) expect(code(raw), raw).toBe('ROTA');
    for (const raw of ['Jevax', 'Jeevax', 'JEEV']) expect(code(raw), raw).toBe('JE');
    expect(code('Imojev')).toBe('JE-LIVE');
    expect(code('BCG')).toBe('BCG');
    for (const raw of ['Engerix-B', 'Euvax B', 'Heberbiovac HB', 'Gene-HBvax']) expect(code(raw), raw).toBe('HEPB-MONO');
    expect(code('bOPV')).toBe('OPV');
    expect(code('Imovax Polio')).toBe('IPV');
    for (const raw of ['Synflorix', 'Prevenar 13']) expect(code(raw), raw).toBe('PCV');
    for (const raw of ['Varivax', 'Varilrix']) expect(code(raw), raw).toBe('VARICELLA');
    // misspellings seen in files
    for (const [raw, want] of [['Hexaxin', 'HEXA'], ['Quinvacxem', 'DPT-VGB-HIB'], ['Phizer', 'COVID-PFIZER'], ['Astrazeneka', 'COVID-AZ'], ['Modena', 'COVID-MODERNA'], ['Verocel', 'COVID-VEROCELL']]) {
      expect(code(raw!), raw).toBe(want);
    }
  });

  it('finds entries by code, with the primary series where known', () => {
    expect(vaccineByCode('COVID-JANSSEN')).toMatchObject({ name: 'Janssen', kind: 'covid', doses: 1 });
    expect(vaccineByCode('COVID-ABDALA')?.doses).toBe(3);
    expect(vaccineByCode('COVID-HAYAT')?.doses).toBeNull();
    expect(vaccineByCode('DPT-VGB-HIB')).toMatchObject({ name: 'DPT-VGB-Hib', kind: 'tcmr', doses: 3 });
    expect(vaccineByCode('JE')?.doses).toBe(3);
    expect(vaccineByCode('SINOVAC')).toBeUndefined();
    expect(vaccineByCode('covid-az')).toBeUndefined();
  });

  it('resolves every name and alias of every entry to that entry, with no finding', () => {
    for (const v of VACCINES) {
      for (const name of [v.name, v.code, ...v.aliases]) {
        expect(normalizeVaccine(name), name).toEqual({ value: { code: v.code, name: v.name }, findings: [] });
      }
    }
  });
});

describe('normalizeVaccine', () => {
  it('resolves every alias the test-data generator types, as typed and in lower case', () => {
    for (const [vaccine, aliases] of Object.entries(VACCINE_ALIASES)) {
      for (const [alias] of aliases) {
        expect(code(alias), alias).toBe(vaccine);
        expect(code(alias.toLowerCase()), alias.toLowerCase()).toBe(vaccine);
        expect(findingCodes(alias), alias).toEqual([]);
      }
    }
  });

  it('returns the catalogue display name, not the spelling typed', () => {
    expect(normalizeVaccine('AZ').value).toEqual({ code: 'COVID-AZ', name: 'AstraZeneca' });
    expect(normalizeVaccine('comirnaty').value).toEqual({ code: 'COVID-PFIZER', name: 'Pfizer-BioNTech' });
    expect(normalizeVaccine('5 trong 1').value).toEqual({ code: 'DPT-VGB-HIB', name: 'DPT-VGB-Hib' });
    expect(normalizeVaccine('Soi').value).toEqual({ code: 'MEASLES', name: 'Sởi' });
  });

  it('ignores case, accents, Đ, punctuation and spaces inside the name', () => {
    expect(code('Vero-Cell')).toBe('COVID-VEROCELL');
    expect(code('vero cell')).toBe('COVID-VEROCELL');
    expect(code('VEROCELL')).toBe('COVID-VEROCELL');
    expect(code('Astra-Zeneca')).toBe('COVID-AZ');
    expect(code('ASTRA ZENECA')).toBe('COVID-AZ');
    expect(code('Pfizer - BioNTech')).toBe('COVID-PFIZER');
    expect(code('Sputnik-V')).toBe('COVID-SPUTNIK');
    expect(code('Hayat Vax')).toBe('COVID-HAYAT');
    expect(code('HayatVax')).toBe('COVID-HAYAT');
    expect(code('Nanocovax')).toBe('COVID-NANOCOVAX');
    expect(code('Johnson & Johnson')).toBe('COVID-JANSSEN');
    expect(code('Combe five')).toBe('DPT-VGB-HIB');
  });

  it('reads Vietnamese names with or without diacritics, NFC or NFD', () => {
    expect(code('Viêm gan B sơ sinh')).toBe('HEPB-BIRTH');
    expect(code('Viem gan B so sinh')).toBe('HEPB-BIRTH');
    expect(code('VIÊM GAN B SƠ SINH'.normalize('NFD'))).toBe('HEPB-BIRTH');
    expect(code('Bại liệt uống')).toBe('OPV');
    expect(code('bai liet uong')).toBe('OPV');
    expect(code('Bại liệt tiêm'.normalize('NFD'))).toBe('IPV');
    expect(code('Bach hau - Ho ga - Uon van')).toBe('DPT');
    expect(code('Viêm não Nhật Bản')).toBe('JE');
    expect(code('viem nao nhat ban')).toBe('JE');
    expect(code('Sởi-Rubella')).toBe('MR');
    expect(code('Soi Rubella')).toBe('MR');
    expect(code('Sởi')).toBe('MEASLES');
  });

  it('strips wrapper words: vắc xin, vacxin, vaccine, phòng, COVID-19, mũi N', () => {
    expect(code('Vắc xin AstraZeneca')).toBe('COVID-AZ');
    expect(code('Vắc-xin phòng COVID-19 Moderna')).toBe('COVID-MODERNA');
    expect(code('Vacxin Pfizer')).toBe('COVID-PFIZER');
    expect(code('vaccine Sinopharm')).toBe('COVID-VEROCELL');
    expect(code('Mũi 2 Pfizer')).toBe('COVID-PFIZER');
    expect(code('Vắc xin phòng lao')).toBe('BCG');
    expect(code('Vắc xin 5 trong 1')).toBe('DPT-VGB-HIB');
    expect(code('DPT mũi 4')).toBe('DPT');
  });

  it('uses the name in brackets: both names of one vaccine are fine, two vaccines are ambiguous', () => {
    expect(normalizeVaccine('AstraZeneca (Vaxzevria)')).toEqual({ value: { code: 'COVID-AZ', name: 'AstraZeneca' }, findings: [] });
    expect(code('Comirnaty (Pfizer)')).toBe('COVID-PFIZER');
    expect(code('Vero Cell (Sinopharm)')).toBe('COVID-VEROCELL');
    expect(code('Spikevax (Moderna)')).toBe('COVID-MODERNA');
    expect(code('Covishield (AstraZeneca)')).toBe('COVID-AZ');
    expect(code('Lao (BCG)')).toBe('BCG');
    expect(code('BCG [Lao]')).toBe('BCG');
    // Only one part is a vaccine name: the other is a note (the paediatric Pfizer shares the code).
    expect(code('Pfizer (5-11 tuổi)')).toBe('COVID-PFIZER');
    expect(code('(Moderna)')).toBe('COVID-MODERNA');

    for (const raw of ['AstraZeneca (Pfizer)', 'Moderna (Sinopharm)', 'Sởi (MR)']) {
      expect(normalizeVaccine(raw).value, raw).toBeNull();
      expect(findingCodes(raw), raw).toEqual(['vaccine.ambiguous']);
    }
  });

  it('marks a name the catalogue does not know invalid, without echoing it', () => {
    // Bại liệt alone could be the oral (OPV) or the injected (IPV) polio vaccine.
    const messages = new Set<string>();
    for (const raw of ['Sinovac', 'Nuvaxovid', 'Bại liệt', 'Vắc xin', 'Mũi 1', 'Astra', 'COVID-19', '???', 'Uốn ván']) {
      const result = normalizeVaccine(raw);
      expect(result.value, raw).toBeNull();
      expect(result.findings, raw).toHaveLength(1);
      expect(result.findings[0]).toMatchObject({ code: 'vaccine.unknown', severity: 'invalid' });
      messages.add(result.findings[0]!.message);
    }
    // One fixed sentence whatever was typed, asking for a catalogue name.
    expect([...messages]).toHaveLength(1);
    expect([...messages][0]).toMatch(/^The vaccine name is not in the catalogue; use a catalogue name/);
  });

  it('treats a blank cell as missing, with no finding', () => {
    for (const raw of ['', '   ', '\u00a0', '\u200b']) expect(normalizeVaccine(raw)).toEqual({ value: null, findings: [] });
  });

  it('gives the same answer after its cache has filled and been emptied', () => {
    const first = normalizeVaccine('Vero Cell');
    for (let i = 0; i < 2500; i++) expect(normalizeVaccine(`lô ${i}`).value).toBeNull();
    expect(normalizeVaccine('Vero Cell')).toEqual(first);
    expect(code('Moderna')).toBe('COVID-MODERNA');
  });
});
