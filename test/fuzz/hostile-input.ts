/**
 * Random hostile input for the fuzz tests, from the project's one seeded generator (src/base/random.ts):
 * the same seed gives the same cases, so a failure names a seed and a case number that reproduce it.
 */
import ExcelJS from 'exceljs';
import { Random } from '../../src/base/random.js';

/** Pieces a hostile or broken file is made of. */
const PIECES: readonly string[] = [
  '\u0000', '\ud800', '\udfff', '\ud83d\ude00', '\u200f', '\u202e', '\u200d', '\u0301', '\u0323\u0302', '\ufeff', '\ufffd', '\u00a0',
  '"', '""', ',', ';', '\r\n', '\n', '\r', '\t', '\\', "'", '=', '+', '-', '@', '=HYPERLINK("x")',
  'Nguyễn', 'Văn', 'Thị', 'An', ' ', '  ', '0912345678', '001085012345', '15/03/1985', '31/02/1990', '00376', 'AZ', '1', '2021-08-10',
  'NguyÔn', 'V¨n', 'Nguye\u00e3n', 'ệ'.normalize('NFD'), 'ǅ', 'ß', 'İ', '\u0130', 'ﬀ', '𝔸', '\u0085', '\u2028', '\u000b', '\u001f', '\u007f',
];

/** A random string of hostile pieces and random code units (lone surrogates included), up to `maxLength` pieces. */
export function hostileText(random: Random, maxLength = 12): string {
  let text = '';
  const n = random.int(0, maxLength);
  for (let i = 0; i < n; i++) text += random.chance(0.7) ? random.pick(PIECES) : String.fromCharCode(random.int(0, 0xffff));
  return text;
}

/** A cell: mostly short, sometimes huge (past the import's cell limit), sometimes a very long name. */
export function hostileCell(random: Random): string {
  const roll = random.next();
  if (roll < 0.01) return 'x'.repeat(random.int(100_001, 150_000));
  if (roll < 0.03) return 'Nguyễn '.repeat(random.int(30, 2000));
  return hostileText(random);
}

export const CONTRACT_HEADER = [
  'record_id', 'full_name', 'birth_date', 'sex', 'citizen_id', 'phone', 'address', 'commune_code', 'vaccine', 'dose_number',
  'vaccination_date', 'lot_number', 'facility_code', 'adverse_event', 'source',
];

/**
 * Text a file can hold but with no U+FFFD or surrogate half: half of the files are "mildly" hostile, so that
 * the import gets past its not-UTF-8 check (any U+FFFD) and the cleaning of hostile rows is exercised too.
 */
function mild(text: string): string {
  return text.replace(/[\ufffd\ud800-\udfff]/g, '');
}

/** A CSV file: random bytes, or a header (the contract's, a random one, or many columns) and random rows. */
export function hostileCsv(random: Random, options: { readonly readable?: boolean } = {}): Buffer {
  // `readable`: the contract's header and well-quoted rows of mild cells, that the import should load.
  const readable = options.readable ?? false;
  const kind = readable ? 9 : random.int(0, 9);
  const cellOf = readable ? (r: Random) => mild(hostileText(r)) : random.chance(0.5) ? (r: Random) => mild(hostileCell(r)) : hostileCell;
  if (kind === 0) return Buffer.from(Array.from({ length: random.int(1, 4000) }, () => random.int(0, 255)));
  const columns = kind === 1 ? random.int(200, 2000) : CONTRACT_HEADER.length;
  const header = kind === 1 ? Array.from({ length: columns }, (_, i) => (i < 15 ? CONTRACT_HEADER[i]! : hostileText(random, 3))) : kind === 2 ? CONTRACT_HEADER.map((h) => (random.chance(0.2) ? hostileText(random, 3) : h)) : CONTRACT_HEADER;
  const rows = random.int(0, kind === 1 ? 5 : 40);
  const quote = (cell: string) => (readable || random.chance(0.5) ? `"${cell.replace(/"/g, '""')}"` : cell);
  let text = (random.chance(0.2) ? '\ufeff' : '') + header.map(quote).join(',') + '\n';
  for (let r = 0; r < rows; r++) {
    const width = readable || random.chance(0.9) ? columns : random.int(0, columns * 2);
    text += Array.from({ length: width }, () => quote(cellOf(random))).join(readable || random.chance(0.95) ? ',' : ';') + (random.chance(0.9) ? '\n' : '\r\n');
  }
  // Node writes a lone surrogate as U+FFFD in UTF-8: the bytes on disk are what a file could hold.
  return Buffer.from(text, 'utf8');
}

/** An XLSX workbook of random cells (strings, numbers, dates, formulas with results), contract header first. */
export async function hostileXlsx(random: Random): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(random.pick(['Danh sách', 's', 'Tiêm chủng 2021']));
  sheet.addRow(random.chance(0.9) ? CONTRACT_HEADER : CONTRACT_HEADER.map((h) => hostileText(random, 2) + h));
  const rows = random.int(0, 30);
  const cellOf = random.chance(0.5) ? (r: Random) => mild(hostileCell(r)) : hostileCell;
  for (let r = 0; r < rows; r++) {
    sheet.addRow(
      CONTRACT_HEADER.map(() => {
        const roll = random.next();
        if (roll < 0.1) return random.int(-1e6, 1e6) / random.pick([1, 7, 1000]);
        if (roll < 0.15) return new Date(Date.UTC(random.int(1890, 2100), random.int(0, 11), random.int(1, 28)));
        if (roll < 0.18) return { formula: 'A1&"x"', result: hostileText(random, 3) };
        if (roll < 0.2) return null;
        // XML 1.0 cannot carry most C0 controls; exceljs writes them as is and its own reader then fails,
        // which the import must turn into a clear error too.
        return cellOf(random);
      }),
    );
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * A workbook's bytes damaged as a transfer or an attacker would: a few bytes changed (in the deflate data,
 * the headers or the ZIP directory), or the file cut short.
 */
export function damagedZip(random: Random, bytes: Buffer): Buffer {
  const out = Buffer.from(bytes);
  if (random.chance(0.2)) return out.subarray(0, random.int(0, out.length - 1));
  const flips = random.int(1, 6);
  for (let i = 0; i < flips; i++) out[random.int(0, out.length - 1)] = random.int(0, 255);
  return out;
}
