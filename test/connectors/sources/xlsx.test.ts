/**
 * An XLSX (a ZIP) that lies about its sizes (issue 15, finding 5, the part the ZIP directory check cannot
 * see): its directory declares small parts, and its deflate data inflates to a gigabyte. The reader must
 * stop while inflating, as soon as a part passes the size it declared, not after exceljs has built a
 * gigabyte string. The workbooks are written here, byte by byte, by a small ZIP writer that can lie; the
 * gigabyte is a 1 MB deflate segment repeated (each segment full-flushed, so they chain), which costs
 * nothing to build.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { FileError } from '../../../src/base/errors.js';
import { readXlsxRows } from '../../../connectors/sources/xlsx.js';
import { tempDir } from '../../helpers/database.js';

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Part {
  readonly name: string;
  /** Raw deflate data of the part. */
  readonly deflated: Buffer;
  /** What the ZIP says the part inflates to (the truth unless the test lies). */
  readonly declared: number;
}

/** Deflates `text` as a segment that ends byte-aligned and refers to nothing before it. */
const segment = (text: string | Buffer): Buffer => zlib.deflateRawSync(text, { finishFlush: zlib.constants.Z_FULL_FLUSH });
/** The final, empty block that ends a chain of segments. */
const END = zlib.deflateRawSync(Buffer.alloc(0));

function honest(name: string, text: string): Part {
  return { name, deflated: Buffer.concat([segment(text), END]), declared: Buffer.byteLength(text) };
}

/**
 * A ZIP of `parts`, sizes as declared. With `descriptors`, sizes are left out of the local headers and
 * follow the data in a data descriptor (flag 8), as Java's ZipOutputStream writes them.
 */
function zip(parts: readonly Part[], options: { readonly descriptors?: boolean } = {}): Buffer {
  const local: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = Buffer.from(part.name, 'utf8');
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0);
    head.writeUInt16LE(20, 4);
    head.writeUInt16LE(options.descriptors ? 8 : 0, 6);
    head.writeUInt16LE(8, 8); // deflate
    head.writeUInt32LE(0, 14); // crc (unchecked by the reader)
    head.writeUInt32LE(options.descriptors ? 0 : part.deflated.length, 18);
    head.writeUInt32LE(options.descriptors ? 0 : part.declared, 22);
    head.writeUInt16LE(name.length, 26);
    const descriptor = Buffer.alloc(options.descriptors ? 16 : 0);
    if (options.descriptors) {
      descriptor.writeUInt32LE(0x08074b50, 0);
      descriptor.writeUInt32LE(part.deflated.length, 8);
      descriptor.writeUInt32LE(part.declared, 12);
    }
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(options.descriptors ? 8 : 0, 8);
    entry.writeUInt16LE(8, 10);
    entry.writeUInt32LE(part.deflated.length, 20);
    entry.writeUInt32LE(part.declared, 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt32LE(offset, 42);
    local.push(head, name, part.deflated, descriptor);
    central.push(entry, name);
    offset += head.length + name.length + part.deflated.length + descriptor.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...local, directory, end]);
}

const WORKBOOK = honest(
  'xl/workbook.xml',
  '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' +
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>',
);
const RELS = honest(
  'xl/_rels/workbook.xml.rels',
  '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
);
const SHEET = honest(
  'xl/worksheets/sheet1.xml',
  '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' +
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>' +
    '<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="s"><v>2</v></c></row></sheetData></worksheet>',
);
const SST_HEAD = '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>record_id</t></si><si><t>full_name</t></si><si><t>';
const SST_TAIL = '</t></si></sst>';

/** Shared strings whose third string is `mb` megabytes of "x", declared as `declared` bytes. */
function sharedStrings(mb: number, declared?: number): Part {
  const megabyte = segment(Buffer.alloc(1024 * 1024, 'x'));
  const deflated = Buffer.concat([segment(SST_HEAD), ...Array<Buffer>(mb).fill(megabyte), segment(SST_TAIL), END]);
  const truth = SST_HEAD.length + mb * 1024 * 1024 + SST_TAIL.length;
  return { name: 'xl/sharedStrings.xml', deflated, declared: declared ?? truth };
}

const NAMES = honest('xl/sharedStrings.xml', `${SST_HEAD}Nguyễn Văn An${SST_TAIL}`);

function write(name: string, content: Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

async function rows(file: string): Promise<string[][]> {
  const out: string[][] = [];
  for await (const row of readXlsxRows(file)) out.push([...row.cells]);
  return out;
}

/**
 * Deflate data that refers back to text it no longer carries ("invalid distance too far back"): the second
 * half of a stream whose first half, which it copies from, is cut away.
 */
async function danglingDeflate(text: string): Promise<Buffer> {
  const deflater = zlib.createDeflateRaw();
  const chunks: Buffer[] = [];
  deflater.on('data', (chunk: Buffer) => chunks.push(chunk));
  deflater.write(text);
  await new Promise<void>((resolve) => deflater.flush(zlib.constants.Z_SYNC_FLUSH, () => resolve()));
  const firstHalf = Buffer.concat(chunks).length;
  await new Promise<void>((resolve) => deflater.end(text, () => resolve()));
  await new Promise((resolve) => setImmediate(resolve));
  return Buffer.concat(chunks).subarray(firstHalf);
}

describe('an XLSX that lies about its sizes', () => {
  it('reads the hand-made workbook when it tells the truth, with sizes in the headers or in data descriptors', async () => {
    for (const descriptors of [false, true]) {
      const file = write(`honest-${descriptors}.xlsx`, zip([WORKBOOK, RELS, NAMES, SHEET], { descriptors }));
      expect(await rows(file)).toEqual([['record_id', 'full_name'], ['1', 'Nguyễn Văn An']]);
    }
  });

  it('is stopped while inflating: shared strings that declare 2 KB and inflate to 1 GB', async () => {
    for (const descriptors of [false, true]) {
      const bomb = sharedStrings(1024, 2048);
      const file = write(`liar-${descriptors}.xlsx`, zip([WORKBOOK, RELS, bomb, SHEET], { descriptors }));
      expect(fs.statSync(file).size).toBeLessThan(2 * 1024 * 1024);
      const heapBefore = process.memoryUsage().heapUsed;
      const started = performance.now();
      const error = await rows(file).catch((e: unknown) => e);
      const seconds = (performance.now() - started) / 1000;
      expect(error).toBeInstanceOf(FileError);
      expect((error as FileError).code).toBe('import.workbook_too_large');
      expect((error as Error).message).toMatch(/liar-(true|false)\.xlsx: the workbook is refused: its part xl\/sharedStrings\.xml inflates past the 2048 bytes its ZIP directory declares/);
      // stopped at the first kilobytes past the lie: no gigabyte inflated, no gigabyte string built
      expect(seconds).toBeLessThan(2);
      expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(100 * 1024 * 1024);
    }
  });

  it('is stopped in a part exceljs would only drain (the CPU it would burn), and for a part the directory does not list', async () => {
    const hidden = { ...sharedStrings(512, 100), name: 'docProps/custom.xml' };
    const error = await rows(write('liar-drained.xlsx', zip([WORKBOOK, RELS, hidden, NAMES, SHEET]))).catch((e: unknown) => e);
    expect((error as FileError).code).toBe('import.workbook_too_large');
    expect((error as Error).message).toMatch(/its part docProps\/custom\.xml inflates past the 100 bytes/);

    // a part in the file that the directory leaves out: the directory check never saw it
    const parts = [WORKBOOK, RELS, NAMES, SHEET];
    const listed = zip(parts);
    const extra = zip([{ ...sharedStrings(64), name: 'xl/media/x.xml' }]);
    const extraLocal = extra.subarray(0, extra.length - 22 - (46 + 'xl/media/x.xml'.length));
    // the extra part's local entry first, then the listed workbook with its directory offsets moved along
    const shifted = Buffer.from(listed);
    const end = shifted.length - 22;
    const count = shifted.readUInt16LE(end + 10);
    let at = shifted.readUInt32LE(end + 16);
    for (let i = 0; i < count; i++) {
      shifted.writeUInt32LE(shifted.readUInt32LE(at + 42) + extraLocal.length, at + 42);
      at += 46 + shifted.readUInt16LE(at + 28);
    }
    shifted.writeUInt32LE(shifted.readUInt32LE(end + 16) + extraLocal.length, end + 16);
    const smuggled = await rows(write('smuggled.xlsx', Buffer.concat([extraLocal, shifted]))).catch((e: unknown) => e);
    expect((smuggled as FileError).code).toBe('import.workbook_too_large');
    expect((smuggled as Error).message).toMatch(/its part xl\/media\/x\.xml is not in its ZIP directory/);
  });

  it('is refused, not waited on for ever, when a part’s deflate data is damaged (the fuzz test’s damaged workbooks)', async () => {
    const text = `${SST_HEAD}Nguyễn Văn An${SST_TAIL}`;
    const damaged: Part = { name: 'xl/sharedStrings.xml', deflated: await danglingDeflate(text), declared: Buffer.byteLength(text) };
    const file = write('damaged.xlsx', zip([WORKBOOK, RELS, damaged, SHEET]));
    const started = performance.now();
    const error = await rows(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileError);
    expect((error as FileError).code).toBe('import.bad_workbook');
    expect((error as Error).message).toMatch(/damaged\.xlsx: the workbook cannot be read \((invalid distance too far back|unexpected end of file)\)/);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
