/** `vaxsync template --out FILE`: the input template for stations (src/ingest/template.ts), XLSX or CSV by the file's extension. */
import fs from 'node:fs';
import path from 'node:path';
import { VaxsyncError } from '../base/errors.js';
import { inputTemplate, TEMPLATE_FORMATS, type TemplateFormat } from '../ingest/template.js';

export async function writeTemplate(out: string, log: (line: string) => void): Promise<void> {
  const extension = path.extname(out).slice(1).toLowerCase();
  if (!(TEMPLATE_FORMATS as readonly string[]).includes(extension)) {
    throw new VaxsyncError('cli.invalid_option', `--out ${path.basename(out)}: the template is written as .xlsx or .csv`);
  }
  await fs.promises.writeFile(out, await inputTemplate(extension as TemplateFormat));
  log(`input template written to ${out} (${extension === 'xlsx' ? 'sheet "Mẫu nhập" to fill in, sheet "Hướng dẫn" with each column' : 'header row, UTF-8 with BOM'})`);
}
