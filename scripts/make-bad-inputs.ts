/**
 * Generates the bad-input corpus (docs/reliability.md). Nothing in the corpus is hand-edited: every file is made here,
 * deterministically (seeded), so a test can regenerate it into a temp dir and the committed copy can be checked.
 *
 *   npx tsx scripts/make-bad-inputs.ts [DIR]            small cases (default DIR: test/fixtures/bad-inputs)
 *   npx tsx scripts/make-bad-inputs.ts DIR --big        also the 50 MB single line and the XLSX zip bomb
 *
 * Tests call makeBadInputs(tempDir) / makeBig*(tempDir) and delete the dir afterwards.
 */
import { createWriteStream, mkdirSync, openSync, writeSync, closeSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { crc32, createDeflateRaw, deflateRawSync } from 'node:zlib';
import { statSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { DuckDBInstance } from '@duckdb/node-api';

/** Valid NIKs (see test/ingest/helpers.ts): a woman born 01-01-1990 and one born 15-05-1985. */
export const NIK1 = '3201014101900001';
export const NIK2 = '3201015505850002';
export const H = 'NIK,NAMA,PROGRAM,NOMINAL,PERIODE,TGL_SALUR,STATUS';

/** mulberry32: small seeded PRNG so garbage is the same bytes on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const toArabicIndic = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(0x0660 + Number(d)));
const toFullWidth = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)));

export interface BadCase { file: string; kind: string; what: string }

/** The small corpus (< 1 MB in all). Returns what was written, in order. */
export async function makeBadInputs(dir: string): Promise<BadCase[]> {
  mkdirSync(dir, { recursive: true });
  const out: BadCase[] = [];
  const put = (file: string, kind: string, what: string, content: string | Buffer) => {
    writeFileSync(join(dir, file), content);
    out.push({ file, kind, what });
  };
  const row = (nik: string, name = 'Budi', amount = '200000', date = '15/01/2025') => `${nik},${name},BPNT,${amount},2025-01,${date},TERSALUR`;

  put('empty.csv', 'disbursements', 'empty file (0 bytes)', '');
  put('whitespace-only.csv', 'disbursements', 'only blank lines and spaces', '\n  \r\n\t\n');
  put('header-only.csv', 'disbursements', 'header line and nothing else', `${H}\n`);

  const r = rng(42);
  const garbage = Buffer.alloc(4096);
  for (let i = 0; i < garbage.length; i++) garbage[i] = Math.floor(r() * 256);
  put('garbage.csv', 'disbursements', 'binary garbage named .csv (seeded random bytes)', garbage);

  put('nul-bytes.csv', 'disbursements', 'NUL bytes inside fields and as a whole line',
    Buffer.from(`${H}\n${row(NIK1, 'Bu\0di')}\n\0\0\0\0\n${row(NIK2, 'Ani')}\n`, 'utf8'));

  put('invalid-utf8.csv', 'disbursements', 'UTF-8 file with one invalid byte sequence in a name',
    Buffer.concat([Buffer.from(`${H}\n${row(NIK1, 'José')}\n${NIK2},Ani `, 'utf8'),
      Buffer.from([0xc3, 0x28]), Buffer.from(`,BPNT,200000,2025-01,15/01/2025,TERSALUR\n`, 'utf8')]));

  put('utf16le-nobom.csv', 'disbursements', 'UTF-16 LE without BOM',
    Buffer.from(`${H}\r\n${row(NIK1)}\r\n${row(NIK2, 'Ani')}\r\n`, 'utf16le'));
  const be = Buffer.from(`${H}\r\n${row(NIK1)}\r\n${row(NIK2, 'Ani')}\r\n`, 'utf16le');
  for (let i = 0; i + 1 < be.length; i += 2) { const t = be[i]; be[i] = be[i + 1]; be[i + 1] = t; }
  put('utf16be-nobom.csv', 'disbursements', 'UTF-16 BE without BOM', be);

  put('unterminated-quote.csv', 'disbursements', 'a quote opened on line 3 and never closed',
    `${H}\n${row(NIK1)}\n${NIK2},"Ani tanpa tutup,BPNT,200000,2025-01,15/01/2025,TERSALUR\n${row(NIK1, 'Cici')}\n`);

  put('ragged.csv', 'disbursements', 'rows with too few and too many fields',
    `${H}\n${row(NIK1)}\n${NIK2},Ani,BPNT\n${row(NIK2, 'Ani')},EXTRA,MORE\n${row(NIK1, 'Dodi')}\n`);

  const wideHead = ['NIK', 'NAMA', 'PROGRAM', 'NOMINAL'];
  for (let i = wideHead.length; i < 5000; i++) wideHead.push(`K${i + 1}`);
  const wideRow = (nik: string) => [nik, 'Budi', 'BPNT', '200000', ...Array.from({ length: 4996 }, (_, i) => String(i % 10))].join(',');
  put('wide-5000.csv', 'disbursements', '5,000 columns, 3 rows', [wideHead.join(','), wideRow(NIK1), wideRow(NIK2), wideRow(NIK1)].join('\n') + '\n');

  put('mixed-delimiters.csv', 'disbursements', 'header and most rows with ;, two rows with , and one with tab',
    [H.replace(/,/g, ';'), row(NIK1).replace(/,/g, ';'), row(NIK2, 'Ani'), row(NIK1, 'Cici').replace(/,/g, ';'),
      row(NIK2, 'Dodi').replace(/,/g, '\t'), row(NIK1, 'Eka').replace(/,/g, ';')].join('\n') + '\n');

  put('dup-blank-headers.csv', 'disbursements', 'NIK twice, NAMA twice, two blank headers',
    `NIK,NAMA,,PROGRAM,NOMINAL,NIK,NAMA,\n${NIK1},Budi,x,BPNT,200000,${NIK2},Ani,y\n${NIK2},Ani,,PKH,750000,${NIK1},Budi,\n`);

  put('title-and-total.csv', 'disbursements', 'two title rows, a blank line, the header, data, and a JUMLAH total row',
    ['DAFTAR PENYALURAN BPNT', 'KABUPATEN CONTOH TAHUN 2025', '', H, row(NIK1), row(NIK2, 'Ani', '300000'), 'JUMLAH,,,500000,,,', ''].join('\n'));

  put('absurd-amounts.csv', 'disbursements', 'negative, zero, absurd, scientific, text and overflow amounts',
    [H, row(NIK1, 'Neg', '-200000'), row(NIK1, 'Nol', '0'), row(NIK1, 'Besar', '999999999999999'),
      row(NIK1, 'Overflow', '99999999999999999999999'), row(NIK1, 'Sains', '1e9'), row(NIK1, 'Teks', 'dua ratus ribu'),
      row(NIK1, 'Kurung', '(200.000)')].join('\n') + '\n');

  put('far-dates.csv', 'disbursements', 'dates in the far past and future, impossible dates',
    [H, row(NIK1, 'A', '200000', '01/01/0001'), row(NIK1, 'B', '200000', '31/12/9999'), row(NIK1, 'C', '200000', '1800-01-01'),
      row(NIK1, 'D', '200000', '2199-12-31'), row(NIK1, 'E', '200000', '31/02/2025'), row(NIK1, 'F', '200000', '99999')].join('\n') + '\n');

  put('nik-unicode.csv', 'disbursements', 'NIKs with Arabic-Indic and full-width digits, inner spaces, NBSP, zero-width space',
    [H, row(toArabicIndic(NIK1), 'Arab'), row(toFullWidth(NIK1), 'Lebar'), row('3201 0141 0190 0001', 'Spasi'),
      row(`3201014101\u00a0900001`, 'Nbsp'), row(`320101410190\u200b0001`, 'Zwsp'), row(NIK1, 'Sah')].join('\n') + '\n');

  put('formula-names.csv', 'disbursements', 'names and fields that look like spreadsheet formulas (for output safety)',
    [H, row(NIK1, '"=HYPERLINK(""http://x"",""klik"")"'), row(NIK2, '+SUM(1;2)'), row(NIK1, '-2+3', '200000', '16/01/2025'),
      row(NIK2, '@cmd', '200000', '17/01/2025'), row(NIK1, '"\tTAB"', '200000', '18/01/2025'), row(NIK2, '"\rCR"', '200000', '19/01/2025')].join('\n') + '\n');

  // JSON that is not a table
  put('nested.json', 'disbursements', 'one object with nested arrays (not tabular)', JSON.stringify({ data: { rows: [[NIK1, 'Budi']] }, meta: [1, 2] }));
  put('scalars.json', 'disbursements', 'an array of scalars', JSON.stringify([NIK1, NIK2, 3]));
  put('broken.json', 'disbursements', 'truncated JSON', `[{"NIK":"${NIK1}","NAMA":"Budi"},{"NIK":`);

  // XLSX: merged cells, formulas, hidden sheet first, several sheets
  {
    const wb = new ExcelJS.Workbook();
    const hidden = wb.addWorksheet('Rahasia', { state: 'hidden' });
    hidden.addRow(['CATATAN']);
    hidden.addRow(['lembar tersembunyi']);
    const s = wb.addWorksheet('Salur');
    s.addRow(['DAFTAR PENYALURAN']);
    s.mergeCells('A1:G1');
    s.addRow(H.split(','));
    s.addRow([NIK1, 'Budi', 'BPNT', 200000, '2025-01', '15/01/2025', 'TERSALUR']);
    s.addRow([NIK2, 'Ani', 'BPNT', { formula: '100000*2', result: 200000 }, '2025-01', '15/01/2025', 'TERSALUR']);
    s.addRow([NIK1, 'Cici', 'BPNT', { formula: 'D3+D4', result: 400000 }, '2025-02', '15/02/2025', 'TERSALUR']);
    s.addRow([NIK2, 'Dodi', 'BPNT', 200000, '2025-02', '15/02/2025', 'TERSALUR']);
    s.mergeCells('B6:C6'); // merged cell inside the data: C6 loses its value (programme)
    s.addRow(['JUMLAH', '', '', { formula: 'SUM(D3:D6)', result: 1000000 }, '', '', '']);
    const other = wb.addWorksheet('Lain');
    other.addRow(H.split(','));
    other.addRow([NIK2, 'Eka', 'PKH', 750000, '2025-01', '15/01/2025', 'TERSALUR']);
    await wb.xlsx.writeFile(join(dir, 'merged-formulas-hidden.xlsx'));
    out.push({ file: 'merged-formulas-hidden.xlsx', kind: 'disbursements', what: 'hidden first sheet, title merged A1:G1, formulas, a merged cell in the data, a SUM total row, a second data sheet' });
  }

  put('encrypted.xlsx', 'disbursements', 'password-protected workbook: OLE/CFB container (EncryptedPackage) named .xlsx', makeCfbEncrypted());
  put('truncated.xlsx', 'disbursements', 'a zip local header and nothing else', Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(26)]));

  // Parquet with unexpected types
  {
    const inst = await DuckDBInstance.create(':memory:');
    const conn = await inst.connect();
    const p = join(dir, 'unexpected-types.parquet').replace(/'/g, "''");
    await conn.run(`COPY (
      SELECT * FROM (VALUES
        (${NIK1}::BIGINT, 'Budi', 'BPNT', [200000, 1]::INTEGER[], {'a': 1}, TIMESTAMP '2025-01-15 10:30:00', 200000.5::DOUBLE, true, '\\x00\\x01'::BLOB),
        (${NIK2}::BIGINT, 'Ani', 'BPNT', [200000]::INTEGER[], {'a': 2}, TIMESTAMP '2025-01-16 00:00:00', 'NaN'::DOUBLE, false, NULL),
        (NULL, 'Tanpa', 'BPNT', NULL, NULL, NULL, 'Infinity'::DOUBLE, NULL, NULL)
      ) t("NIK", "NAMA", "PROGRAM", "NOMINAL_LIST", "EXTRA", "TGL_SALUR", "NILAI", "AKTIF", "BIN")
    ) TO '${p}' (FORMAT parquet)`);
    conn.closeSync();
    inst.closeSync();
    out.push({ file: 'unexpected-types.parquet', kind: 'disbursements', what: 'NIK as BIGINT, a LIST and a STRUCT column, TIMESTAMP dates, NaN/Infinity amounts, BOOLEAN, BLOB' });
  }
  return out;
}

/** A minimal OLE2/CFB compound file as Office writes for a password-protected .xlsx (header + EncryptionInfo name). */
function makeCfbEncrypted(): Buffer {
  const b = Buffer.alloc(4096);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(b, 0);
  b.writeUInt16LE(0x3e, 24); b.writeUInt16LE(3, 26); b.writeUInt16LE(0xfffe, 28); b.writeUInt16LE(9, 30); b.writeUInt16LE(6, 32);
  // directory entry names as UTF-16LE, where Office puts them
  Buffer.from('Root Entry\0', 'utf16le').copy(b, 1024);
  Buffer.from('EncryptionInfo\0', 'utf16le').copy(b, 1152);
  Buffer.from('EncryptedPackage\0', 'utf16le').copy(b, 1280);
  return b;
}

// ---------------------------------------------------------------------------------------------------------------
// Big cases (temp dirs only)

/** One CSV whose second line is a single ~`mb` MB field (no newline in it); written in 1 MB pieces. */
export function makeLongLine(dir: string, mb = 50): string {
  const p = join(dir, `long-line-${mb}mb.csv`);
  const fd = openSync(p, 'w');
  try {
    writeSync(fd, `${H}\n${NIK1},`);
    const piece = Buffer.alloc(1 << 20, 'A');
    for (let i = 0; i < mb; i++) writeSync(fd, piece);
    writeSync(fd, `,BPNT,200000,2025-01,15/01/2025,TERSALUR\n${NIK2},Ani,BPNT,200000,2025-01,15/01/2025,TERSALUR\n`);
  } finally { closeSync(fd); }
  return p;
}

/**
 * A large CSV (for the kill tests): `rows` disbursement rows over `distinct` NIKs (all valid), same programme and
 * period, so every NIK after its first record is a duplicate payment (distinct ≤ 99,999).
 */
export async function makeLargeCsv(path: string, rows: number, distinct = 99_999): Promise<string> {
  const ws = createWriteStream(path);
  const write = (s: string) => new Promise<void>((res) => { if (ws.write(s)) res(); else ws.once('drain', res); });
  await write(H + '\n');
  const block: string[] = [];
  for (let i = 0; i < rows; i++) {
    block.push(`32010141019${String(1 + (i % distinct)).padStart(5, '0')},Penerima ${i % distinct},BPNT,200000,2025-01,15/01/2025,TERSALUR`);
    if (block.length === 10000) { await write(block.join('\n') + '\n'); block.length = 0; }
  }
  if (block.length) await write(block.join('\n') + '\n');
  await new Promise<void>((res, rej) => ws.end((e?: Error | null) => (e ? rej(e) : res())));
  return path;
}

function bombRows(): string {
  const cell = (ref: string, v: string) => `<c r="${ref}" t="inlineStr"><is><t>${v}</t></is></c>`;
  const cols = 'ABCDEFG';
  const head = H.split(',').map((h, i) => cell(`${cols[i]}1`, h)).join('');
  const vals = [NIK1, '', 'BPNT', '200000', '2025-01', '15/01/2025', 'TERSALUR'];
  const data = vals.map((v, i) => (i === 1 ? `<c r="B2" t="s"><v>0</v></c>` : cell(`${cols[i]}2`, v))).join('');
  return `<row r="1">${head}</row><row r="2">${data}</row>`;
}

interface ZipEntry { name: string; data?: Buffer; deflated?: Buffer; crc?: number; size?: number }

/**
 * Writes a zip (deflate, or `stored`: uncompressed, as some writers do) from entries in the given order; an entry may
 * come pre-deflated with its crc and size.
 */
export function writeZip(path: string, entries: ZipEntry[], opts: { stored?: boolean } = {}): void {
  const method = opts.stored ? 0 : 8;
  const fd = openSync(path, 'w');
  const central: Buffer[] = [];
  let off = 0;
  try {
    for (const e of entries) {
      const name = Buffer.from(e.name, 'utf8');
      const comp = opts.stored ? e.data! : e.deflated ?? deflateRawSync(e.data!);
      const crc = e.crc ?? crc32(e.data!);
      const size = e.size ?? e.data!.length;
      const lh = Buffer.alloc(30);
      lh.writeUInt32LE(0x04034b50, 0); lh.writeUInt16LE(20, 4); lh.writeUInt16LE(0, 6); lh.writeUInt16LE(method, 8);
      lh.writeUInt32LE(0, 10); lh.writeUInt32LE(crc >>> 0, 14); lh.writeUInt32LE(comp.length, 18); lh.writeUInt32LE(size >>> 0, 22);
      lh.writeUInt16LE(name.length, 26); lh.writeUInt16LE(0, 28);
      writeSync(fd, lh); writeSync(fd, name); writeSync(fd, comp);
      const ch = Buffer.alloc(46);
      ch.writeUInt32LE(0x02014b50, 0); ch.writeUInt16LE(20, 4); ch.writeUInt16LE(20, 6); ch.writeUInt16LE(0, 8); ch.writeUInt16LE(method, 10);
      ch.writeUInt32LE(0, 12); ch.writeUInt32LE(crc >>> 0, 16); ch.writeUInt32LE(comp.length, 20); ch.writeUInt32LE(size >>> 0, 24);
      ch.writeUInt16LE(name.length, 28); ch.writeUInt32LE(off, 42);
      central.push(ch, name);
      off += 30 + name.length + comp.length;
    }
    const cd = Buffer.concat(central);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(entries.length, 8); end.writeUInt16LE(entries.length, 10);
    end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(off, 16);
    writeSync(fd, cd); writeSync(fd, end);
  } finally { closeSync(fd); }
}

/**
 * An XLSX zip bomb: a valid workbook whose xl/sharedStrings.xml inflates to ~`mb` MB (`strings` entries of
 * ~`mb`·2^20/strings bytes each) while the file itself stays small. The sheet is a normal disbursement header and
 * one row whose name is shared string 0.
 */
export async function makeZipBombAsync(dir: string, mb = 256, strings = 1_000_000): Promise<{ path: string; bytes: number; inflated: number }> {
  const path = join(dir, `zipbomb-${mb}mb.xlsx`);
  const per = Math.max(1, Math.floor((mb * 1048576) / strings) - 17);
  const item = Buffer.from(`<si><t>${'A'.repeat(per)}</t></si>`);
  const headXml = Buffer.from(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${strings}" uniqueCount="${strings}">`);
  const tailXml = Buffer.from('</sst>');
  const blockItems = Math.max(1, Math.floor((4 << 20) / item.length));
  const block = Buffer.concat(Array.from({ length: blockItems }, () => item));
  const d = createDeflateRaw({ level: 9, memLevel: 9 });
  const collected: Buffer[] = [];
  d.on('data', (c: Buffer) => collected.push(c));
  const done = new Promise<void>((res, rej) => { d.on('end', res); d.on('error', rej); });
  let crc = 0, size = 0;
  const feed = async (b: Buffer) => {
    crc = crc32(b, crc); size += b.length;
    if (!d.write(b)) await new Promise<void>((res) => d.once('drain', res));
  };
  await feed(headXml);
  let left = strings;
  while (left > 0) {
    const n = Math.min(left, blockItems);
    await feed(n === blockItems ? block : block.subarray(0, n * item.length));
    left -= n;
  }
  await feed(tailXml);
  d.end();
  await done;
  const deflated = Buffer.concat(collected);
  const x = (s: string) => Buffer.from(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${s}`);
  const M = 'http://schemas.openxmlformats.org';
  writeZip(path, [
    { name: '[Content_Types].xml', data: x(`<Types xmlns="${M}/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`) },
    { name: '_rels/.rels', data: x(`<Relationships xmlns="${M}/package/2006/relationships"><Relationship Id="rId1" Type="${M}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`) },
    { name: 'xl/workbook.xml', data: x(`<workbook xmlns="${M}/spreadsheetml/2006/main" xmlns:r="${M}/officeDocument/2006/relationships"><sheets><sheet name="Salur" sheetId="1" r:id="rId1"/></sheets></workbook>`) },
    { name: 'xl/_rels/workbook.xml.rels', data: x(`<Relationships xmlns="${M}/package/2006/relationships"><Relationship Id="rId1" Type="${M}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${M}/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`) },
    { name: 'xl/sharedStrings.xml', deflated, crc, size },
    { name: 'xl/worksheets/sheet1.xml', data: x(`<worksheet xmlns="${M}/spreadsheetml/2006/main"><sheetData>${bombRows()}</sheetData></worksheet>`) },
  ]);
  return { path, bytes: statSync(path).size, inflated: size };
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const dir = resolve(args.find((a) => !a.startsWith('--')) ?? join(__dirname, '..', 'test', 'fixtures', 'bad-inputs'));
  (async () => {
    const cases = await makeBadInputs(dir);
    for (const c of cases) console.log(`${c.file.padEnd(32)} ${c.kind.padEnd(14)} ${c.what}`);
    if (args.includes('--big')) {
      console.log(makeLongLine(dir));
      console.log(JSON.stringify(await makeZipBombAsync(dir)));
    }
  })().catch((e) => { console.error(e); process.exitCode = 1; });
}
