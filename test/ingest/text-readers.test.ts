/**
 * The two readers of delimited text give the same import: DuckDB's read_csv (loadTextFast, taken for clean UTF-8
 * files) and the line reader (RecordSplitter + Appender, which handles everything). Every file is imported both ways
 * into two workspaces and the canonical rows, rejects (with verbatim text), import_log figures and quality report are
 * compared; crafted clean files must actually take the fast reader, messy ones must fall back.
 */
import { propRuns } from '../prop-runs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { Workspace } from '../../src/engine/workspace/workspace';
import { importFile, type Kind } from '../../src/engine/ingest';
import { generateDemo } from '../../src/engine/demo/generate';
import { makeBadInputs } from '../../scripts/make-bad-inputs';

let dir: string;
let fast: Workspace;
let lines: Workspace;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'telisik-readers-'));
  fast = await Workspace.create(join(dir, 'fast.duckdb'), { name: 'fast' });
  lines = await Workspace.create(join(dir, 'lines.duckdb'), { name: 'lines' });
});
afterAll(async () => { await fast?.close(); await lines?.close(); rmSync(dir, { recursive: true, force: true }); });

const TABLE_OF: Record<string, string> = { registry: 'registry', disbursements: 'disbursements', budget: 'budget', deaths: 'deaths', civil_servants: 'civil_servants', complaints: 'complaints' };

async function snapshot(ws: Workspace, id: number, kind: Kind) {
  const log = await ws.one<Record<string, unknown>>(`SELECT status, sha256, encoding, delimiter, header_line, rows_read, rows_loaded, rows_rejected,
    mapping, headers, quality, message FROM import_log WHERE import_id = $id`, { id });
  const rej = await ws.all(`SELECT line, reason, column_name, raw_text FROM rejects WHERE import_id = $id ORDER BY line`, { id });
  const table = TABLE_OF[kind];
  const rows = table ? await ws.all(`SELECT * EXCLUDE (rec_id, _import_id) FROM ${table} WHERE _import_id = $id ORDER BY _line`, { id }) : [];
  const reader = await ws.scalar<string>(`SELECT json_extract_string(result, '$.reader') FROM audit_trail WHERE action = 'import' ORDER BY seq DESC LIMIT 1`);
  return { log, rej, rows, reader };
}

type Outcome = { ok: true; snap: Awaited<ReturnType<typeof snapshot>> } | { ok: false; message: string };

async function importBoth(path: string, kind: Kind): Promise<{ fast: Outcome; lines: Outcome }> {
  const one = async (ws: Workspace, textReader: 'auto' | 'lines'): Promise<Outcome> => {
    try {
      const r = await importFile(ws, { kind, path, textReader });
      return { ok: true, snap: await snapshot(ws, r.import_id, kind) };
    } catch (e) { return { ok: false, message: (e as Error).message }; }
  };
  return { fast: await one(fast, 'auto'), lines: await one(lines, 'lines') };
}

function expectSame(o: { fast: Outcome; lines: Outcome }, file: string): string | null {
  if (!o.fast.ok || !o.lines.ok) {
    expect({ file, fast: o.fast.ok ? 'loaded' : o.fast.message }).toEqual({ file, fast: o.lines.ok ? 'loaded' : o.lines.message });
    return null;
  }
  const { reader: rf, ...f } = o.fast.snap;
  const { reader: rl, ...l } = o.lines.snap;
  expect(rl).toBe('lines');
  expect({ file, ...f }).toEqual({ file, ...l });
  return rf;
}

const H = 'NIK;NAMA;PROGRAM;NOMINAL;PERIODE;TGL_SALUR;STATUS';
const crafted: Record<string, { text: string; fast: boolean }> = {
  'plain.csv': { text: `${H}\n3201014101900001;Budi;PKH;Rp 750.000;2025-01;15/01/2025;TERSALUR\n3201015505850002;Ani;BPNT;200000;2025-02;10/02/2025;\n`, fast: true },
  'crlf-bom.csv': { text: `\ufeff${H}\r\n3201014101900001;Budi;PKH;750.000,00;2025-01;15/01/2025;SUKSES\r\n3201015505850002;Ani;BPNT;200000;2025-02;2025-02-10;GAGAL\r\n`, fast: true },
  'no-final-newline.csv': { text: `${H}\n3201014101900001;Budi;PKH;750000;2025-01;15/01/2025;TERSALUR`, fast: true },
  'quoted.csv': { text: `NIK,NAMA,PROGRAM,NOMINAL,PERIODE,TGL_SALUR,STATUS\n"3201014101900001","SITI, NUR",PKH,"750,000",2025-01,15/01/2025,TERSALUR\n'3201015505850002,"Ani ""Bu""",BPNT,200000,2025-02,10/02/2025,\n`, fast: true },
  'title-rows.csv': { text: `LAPORAN PENYALURAN BANSOS\nKabupaten Contoh\n\n${H}\n3201014101900001;Budi;PKH;750000;2025-01;15/01/2025;TERSALUR\n`, fast: true },
  'trailing-blank-lines.csv': { text: `${H}\n3201014101900001;Budi;PKH;750000;2025-01;15/01/2025;TERSALUR\n\n\n`, fast: true },
  'trailing-delimiter.csv': { text: `${H};\n3201014101900001;Budi;PKH;750000;2025-01;15/01/2025;TERSALUR;\n3201015505850002;Ani;BPNT;200000;2025-02;10/02/2025;;\n`, fast: true },
  'rejects-and-totals.csv': { text: `${H}\n3201014101900001;Budi;PKH;750000;2025-01;15/01/2025;TERSALUR\n;Tanpa NIK;PKH;750000;2025-01;15/01/2025;TERSALUR\n3201015505850002;"Ani; A";BPNT;bukan angka;2025-02;10/02/2025;\n;;;;;;\nJUMLAH;;;950000;;;\n`, fast: true },
  'tsv.tsv': { text: `${H.replace(/;/g, '\t')}\n3201014101900001\tBudi\tPKH\t750000\t2025-01\t15/01/2025\tTERSALUR\n`, fast: true },
  'pipe.txt': { text: `${H.replace(/;/g, '|')}\n3201014101900001|Budi|PKH|750000|2025-01|15/01/2025|TERSALUR\n`, fast: true },
  'blank-in-middle.csv': { text: `${H}\n3201014101900001;Budi;PKH;750000;2025-01;15/01/2025;TERSALUR\n\n3201015505850002;Ani;BPNT;200000;2025-02;10/02/2025;\n`, fast: false },
  'short-line.csv': { text: `${H}\n3201014101900001;Budi;PKH;750000;2025-01;15/01/2025;TERSALUR\n3201015505850002;Ani;BPNT\n`, fast: false },
  'multiline-field.csv': { text: `${H}\n3201014101900001;"Budi\nSantoso";PKH;750000;2025-01;15/01/2025;TERSALUR\n3201015505850002;Ani;BPNT;200000;2025-02;10/02/2025;\n`, fast: false },
  'quote-after-blank.csv': { text: `${H}\n3201014101900001; "Budi";PKH;750000;2025-01;15/01/2025;TERSALUR\n`, fast: false },
  'windows-1252.csv': { text: '', fast: false },
  'salur [final].csv': { text: `${H}\n3201014101900001;Budi;PKH;750000;2025-01;15/01/2025;TERSALUR\n`, fast: false },
  'stray-cr.csv': { text: `${H}\n3201014101900001;Bu\rdi;PKH;750000;2025-01;15/01/2025;TERSALUR\n`, fast: false },
  'unterminated.csv': { text: `${H}\n3201014101900001;"Budi;PKH;750000;2025-01;15/01/2025;TERSALUR\n3201015505850002;Ani;BPNT;200000;2025-02;10/02/2025;\n`, fast: false },
};

describe('DuckDB read_csv and the line reader give the same import', () => {
  it('crafted files: clean ones take the fast reader, messy ones fall back; results equal', async () => {
    const cdir = join(dir, 'crafted');
    rmSync(cdir, { recursive: true, force: true });
    mkdirSync(cdir);
    for (const [name, c] of Object.entries(crafted)) {
      if (name === 'windows-1252.csv') writeFileSync(join(cdir, name), Buffer.from(`${H}\n3201014101900001;Jos\xe9;PKH;750000;2025-01;15/01/2025;TERSALUR\n`, 'latin1'));
      else writeFileSync(join(cdir, name), c.text);
    }
    for (const [name, c] of Object.entries(crafted)) {
      const reader = expectSame(await importBoth(join(cdir, name), 'disbursements'), name);
      expect({ name, reader }).toEqual({ name, reader: c.fast ? 'duckdb_read_csv' : 'lines' });
    }
    // the rejects of the fast reader carry the verbatim line (quotes kept)
    const rej = await fast.all<{ line: number; raw_text: string }>(`SELECT line, raw_text FROM rejects WHERE file = 'rejects-and-totals.csv' ORDER BY line`);
    expect(rej.map((r) => r.raw_text)).toEqual([';Tanpa NIK;PKH;750000;2025-01;15/01/2025;TERSALUR',
      '3201015505850002;"Ani; A";BPNT;bukan angka;2025-02;10/02/2025;', 'JUMLAH;;;950000;;;']);
  });

  it('the bad-input corpus: every delimited text file gives the same outcome both ways', async () => {
    const bdir = join(dir, 'bad');
    mkdirSync(bdir);
    const cases = await makeBadInputs(bdir);
    const kindOf = new Map(cases.map((c) => [c.file, c.kind as Kind]));
    let n = 0;
    for (const name of readdirSync(bdir).sort()) {
      if (!['.csv', '.tsv', '.txt'].includes(extname(name).toLowerCase())) continue;
      expectSame(await importBoth(join(bdir, name), kindOf.get(name) ?? 'disbursements'), name);
      n++;
    }
    expect(n).toBeGreaterThan(15);
  });

  it('the demo extracts (every kind): same rows both ways, and read by DuckDB', async () => {
    const ddir = join(dir, 'demo');
    const demo = await generateDemo({ outDir: ddir, households: 400, seed: 5, truth: false });
    let fastReads = 0;
    for (const f of demo.files) {
      if (!['.csv', '.tsv', '.txt'].includes(extname(f.path).toLowerCase())) continue;
      const reader = expectSame(await importBoth(f.path, f.kind as Kind), f.path);
      if (reader === 'duckdb_read_csv') fastReads++;
    }
    expect(fastReads).toBeGreaterThan(0);
  });

  // 20 files (40 imports) in `npm test`; 90 under TELISIK_SLOW=1 (630 over 7 seeds were checked when the reader landed)
  const RUNS = propRuns(20, 90);
  it('random CSV (quotes, delimiters in fields, CRLF, BOM, blank and title lines, short/long lines): same import both ways', async () => {
    const pdir = join(dir, 'prop');
    mkdirSync(pdir);
    const value = fc.constantFrom('3201014101900001', "'3201015505850002", '3201 01410190', 'Budi', 'SITI NUR', 'PKH', 'program sembako',
      'Rp 200.000', '750,000', '200.000,00', '15/01/2025', '2025-02-10', '2025-01', '', ' ', 'TERSALUR', 'GAGAL', 'José', 'JUMLAH', 'NIK');
    const cleanField = (d: string) => fc.oneof(
      { weight: 6, arbitrary: value },
      { weight: 2, arbitrary: value.map((v) => `"${v}"`) },
      { weight: 1, arbitrary: fc.tuple(value, value).map(([a, b]) => `"${a}${d}${b}"`) },
      { weight: 1, arbitrary: value.map((v) => `"${v}""x"""`) },
    );
    const messyField = (d: string) => fc.oneof({ weight: 5, arbitrary: cleanField(d) },
      { weight: 1, arbitrary: fc.constantFrom(`a"b`, ` "q"`, `"q" `, `"open`, 'x\ry', `"two\nlines"`, `"x"y`) });
    // a third of the files are messy (they must fall back and still agree); the others should mostly read fast
    const file = fc.tuple(fc.constantFrom(',', ';', '\t', '|'), fc.boolean(), fc.boolean()).chain(([d, messy, blankRows]) => fc.record({
      d: fc.constant(d),
      rows: fc.array(messy
        ? fc.oneof({ weight: 8, arbitrary: fc.array(messyField(d), { minLength: 7, maxLength: 7 }) },
          { weight: 1, arbitrary: fc.array(messyField(d), { minLength: 5, maxLength: 9 }) },
          { weight: 1, arbitrary: fc.constant([] as string[]) })
        : fc.oneof({ weight: 12, arbitrary: fc.array(cleanField(d), { minLength: 7, maxLength: 7 }) },
          { weight: blankRows ? 1 : 0, arbitrary: fc.constant(['', '', '', '', '', '', '']) }), { minLength: 1, maxLength: 12 }),
      eol: fc.constantFrom('\n', '\r\n'),
      bom: fc.boolean(), title: fc.boolean(), trailingDelim: fc.boolean(), finalEol: fc.boolean(), trailingBlank: fc.nat({ max: 2 }),
    }));
    let n = 0, fastReads = 0;
    await fc.assert(fc.asyncProperty(file, async (f) => {
      const lines = [(f.title ? ['LAPORAN PENYALURAN', ''] : []), [H.split(';').join(f.d) + (f.trailingDelim ? f.d : '')],
        f.rows.map((r) => r.join(f.d) + (f.trailingDelim && r.length ? f.d : ''))].flat();
      const text = (f.bom ? '\ufeff' : '') + lines.join(f.eol) + (f.finalEol ? f.eol : '') + f.eol.repeat(f.trailingBlank);
      const path = join(pdir, `p${++n}.csv`);
      writeFileSync(path, text);
      const reader = expectSame(await importBoth(path, 'disbursements'), `${path}: ${JSON.stringify(text)}`);
      if (reader === 'duckdb_read_csv') fastReads++;
    }), { numRuns: RUNS, seed: Number(process.env.TELISIK_PROP_SEED ?? 20261129) });
    // 24 of 90 with this seed (a quoted " " falls back, conservatively); at least one in six read fast
    expect(fastReads).toBeGreaterThanOrEqual(Math.floor(RUNS / 6));
  }, 600_000);
});
