/**
 * The XLSX writer alone, on a call list of a province's size made up in memory (no database): how long the
 * workbook takes and what memory it needs beyond the table, as `vaxsync report due --format xlsx` writes it.
 *
 *   /usr/bin/time -v node --max-semi-space-size=64 --heap-growing-percent=25 --expose-gc --import tsx scripts/bench-xlsx.ts [ROWS] [OUT]
 *
 * ROWS defaults to 177,059 (the bench province's call list during the COVID-19 campaign), in 51 communes of
 * ten villages each; OUT to a file in the temp directory, removed afterwards. It prints the seconds writing,
 * the CPU seconds they cost (zlib's threads included) and the resident memory once the table was built; the
 * peak is `time -v`'s "Maximum resident set size".
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { CALL_LIST_COLUMNS } from '../src/report/call-list.js';
import { reportXlsxStream } from '../src/report/format.js';
import type { ReportTable } from '../src/report/table.js';

const rowCount = Number(process.argv[2] ?? 177_059);
const out = process.argv[3] ?? path.join(os.tmpdir(), `bench-xlsx-${process.pid}.xlsx`);
const LABELS = ['Mã người', 'Họ và tên', 'Ngày sinh', 'Giới', 'Người giám hộ', 'Điện thoại', 'Thôn/xóm', 'Mã xã', 'Trường', 'Vắc xin', 'Mũi', 'Đến hạn từ', 'Số ngày quá hạn', 'Trạng thái'];
const COMMUNES = [
  '00376', '00382', '00385', '00430', '00433', '00454', '00466', '00475', '00541', '00565', '00577', '00640', '00679', '08974', '09022', '09616', '09700',
  '09715', '09784', '09832', '09895', '09955', '10114', '10183', '10273', '15061', '15127', '15229', '15271', '15349', '15469', '15499', '15544', '15646',
  '15664', '15772', '15820', '15865', '15889', '15961', '16012', '16093', '16114', '16174', '16228', '16279', '16438', '16480', '16540', '16549', '16552',
];

const rows = Array.from({ length: rowCount }, (_, i) => {
  const commune = Math.floor((i * COMMUNES.length) / rowCount);
  const village = 1 + Math.floor(((i * COMMUNES.length) % rowCount) / (rowCount / 10));
  return [
    `P${i}`, `Nguyễn Thị Người ${i}`, '2021-03-01', i % 2 ? 'Nam' : 'Nữ', i % 3 ? null : 'Trần Thị Mẹ', '0912000001', `Thôn ${village}`,
    COMMUNES[commune]!, null, 'measles', 1 + (i % 3), '2022-05-01', i % 200, i % 2 ? 'overdue' : 'due',
  ];
});
const table: ReportTable = {
  title: 'Danh sách mời tiêm ngày 01/06/2022 (tất cả các xã/phường)',
  date: '2022-06-01',
  notes: ['Ngày lập danh sách: 01/06/2022.'],
  columns: CALL_LIST_COLUMNS,
  labels: LABELS,
  rows,
  groupBy: [7, 6],
  communeColumns: [7],
  printedValues: { 9: { measles: 'Sởi' }, 13: { due: 'Đến hạn', overdue: 'Quá hạn' } },
};

const tableRss = process.memoryUsage().rss;
const started = performance.now();
const cpu = process.cpuUsage();
await pipeline(reportXlsxStream(table), fs.createWriteStream(out));
const spent = process.cpuUsage(cpu);
const seconds = (performance.now() - started) / 1000;
console.log(
  `${rowCount} rows: ${seconds.toFixed(2)} s writing (${((spent.user + spent.system) / 1e6).toFixed(2)} s CPU), ` +
    `${fs.statSync(out).size} bytes; resident ${(tableRss / 2 ** 20).toFixed(0)} MiB with the table built`,
);
if (process.argv[3] === undefined) fs.rmSync(out);
