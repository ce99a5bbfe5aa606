/**
 * Field-verification sheet (uji petik): a sample of records for officers to visit, with blank HASIL / TANGGAL /
 * PETUGAS / CATATAN columns (validated) and hidden key columns (check_ids, rec_id) so the filled workbook can be
 * imported back as reviews (review-import.ts).
 *
 * One row per record: a record flagged by several checks is visited once, and its result applies to each of them.
 */
import type ExcelJS from 'exceljs';
import type { Workspace } from '../workspace/workspace';
import { ident } from '../workspace/workspace';
import { type ColumnSpec, type ReportBook, rowHeight, textLines, writePairs } from './format';
import { checkInfo, existingExcTables, writeMethodology, writeQueryTable, writeTrailSheets } from './common';
import { InvalidInputError } from '../../shared/errors';

export const HASIL_VALUES = ['ditemukan', 'tidak ditemukan', 'meninggal', 'pindah', 'mampu', 'lainnya'] as const;
export type Hasil = (typeof HASIL_VALUES)[number];

/**
 * Audit meaning of a field result. 'ditemukan' = the recipient exists and is eligible: the exception is cleared.
 * Not found, deceased, moved away or well-off confirm the exception. 'lainnya' needs the auditor's judgement: open.
 */
export const HASIL_STATUS: Record<Hasil, 'cleared' | 'confirmed' | 'open'> = {
  ditemukan: 'cleared', 'tidak ditemukan': 'confirmed', meninggal: 'confirmed', pindah: 'confirmed', mampu: 'confirmed', lainnya: 'open',
};

export const FIELD_SHEET = 'Uji Petik';
/** Hidden sheet listing every issued row (No, rec_id, checks): rows deleted from a returned sheet are reported. */
export const FIELD_KEY_SHEET = 'Kunci Uji Petik';

export type ReviewOutcome = 'cleared' | 'confirmed' | 'open';
type Family = 'ghost_deceased' | 'ghost_civil_servant' | 'identity' | 'eligibility' | 'payment';
/** Check → family for field outcomes (a field visit answers different questions per family). */
const FAMILY: Record<string, Family> = {
  deceased: 'ghost_deceased', civil_servant: 'ghost_civil_servant', flagged_recipient: 'ghost_civil_servant',
  nik_invalid: 'identity', not_in_registry: 'identity', identity_duplicate: 'identity', name_mismatch: 'identity',
  registry_duplicate_nik: 'identity', nik_attribute_mismatch: 'identity',
  ineligible_desil: 'eligibility', program_overlap: 'eligibility',
  duplicate_payment: 'payment', household_duplicate: 'payment', shared_account: 'payment', overpayment: 'payment',
  underpayment: 'payment', undistributed: 'payment',
};
const FAMILY_LABEL: Record<Family, string> = {
  ghost_deceased: 'Penerima meninggal (deceased)',
  ghost_civil_servant: 'Penerima ASN/TNI/Polri atau pada daftar pembanding (civil_servant, flagged_recipient)',
  identity: 'Identitas: NIK tidak valid, tidak terdaftar, identitas ganda, nama berbeda',
  eligibility: 'Kelayakan: di atas batas desil, tumpang tindih BLT Dana Desa',
  payment: 'Pembayaran: ganda, ganda dalam keluarga, rekening bersama, kelebihan/kekurangan bayar, gagal salur',
};
/**
 * Outcome of a field result per family, with the reason printed in the review note. "ditemukan" clears an identity
 * or eligibility exception (the person exists and is eligible), but on a deceased exception it contradicts the death
 * record and on a payment exception it does not undo the double payment: both stay open for the auditor.
 */
const FIELD_MAP: Record<Family, Record<Hasil, [ReviewOutcome, string]>> = {
  ghost_deceased: {
    ditemukan: ['open', 'KONTRADIKSI: penerima ditemukan hidup, bertentangan dengan data kematian — periksa data Dukcapil'],
    'tidak ditemukan': ['confirmed', ''], meninggal: ['confirmed', ''], pindah: ['open', 'pindah: kematian belum terbukti, telusuri'],
    mampu: ['open', 'kontradiksi dengan data kematian'], lainnya: ['open', ''],
  },
  ghost_civil_servant: {
    ditemukan: ['open', 'penerima ada, tetapi status ASN/TNI/Polri atau daftar pembanding tidak terhapus oleh kunjungan — periksa data sumbernya'],
    'tidak ditemukan': ['confirmed', ''], meninggal: ['confirmed', ''], pindah: ['confirmed', ''], mampu: ['confirmed', ''], lainnya: ['open', ''],
  },
  identity: {
    ditemukan: ['cleared', 'penerima ada dan layak'], 'tidak ditemukan': ['confirmed', ''], meninggal: ['confirmed', ''],
    pindah: ['confirmed', ''], mampu: ['confirmed', ''], lainnya: ['open', ''],
  },
  eligibility: {
    ditemukan: ['cleared', 'penerima ada dan layak menurut verifikasi lapangan (desil data perlu dimutakhirkan)'], 'tidak ditemukan': ['confirmed', ''],
    meninggal: ['confirmed', ''], pindah: ['confirmed', ''], mampu: ['confirmed', ''], lainnya: ['open', ''],
  },
  payment: {
    ditemukan: ['open', 'penerima ada; pembayaran ganda/selisih tetap perlu ditelusuri dengan bank penyalur'], 'tidak ditemukan': ['confirmed', ''],
    meninggal: ['confirmed', ''], pindah: ['confirmed', ''], mampu: ['open', ''], lainnya: ['open', ''],
  },
};

/** The review status (and the reason noted) of a field result for an exception of a check. */
export function fieldStatus(checkId: string, hasil: Hasil): { status: ReviewOutcome; note: string } {
  const fam = FAMILY[checkId];
  if (!fam) return { status: HASIL_STATUS[hasil], note: '' };
  const [status, note] = FIELD_MAP[fam][hasil];
  return { status, note };
}

const OUTCOME_LABEL: Record<ReviewOutcome, string> = { cleared: 'dikecualikan', confirmed: 'terkonfirmasi', open: 'tetap terbuka' };

export interface FieldSampleOptions {
  /** An existing sample_<name> table (tools/sampling); `name` may be given with or without the prefix. */
  sampleTable?: string;
  /** Random sample of N records from the exceptions, reproducible with `seed`. */
  sample?: number;
  seed?: number;
  /** Restrict to these checks (default: all exception tables). */
  checks?: string[];
  /** Chosen records (rec_id) from the exceptions. */
  recIds?: (number | string)[];
}

async function columnsOf(ws: Workspace, table: string): Promise<Set<string>> {
  return new Set((await ws.columns(table)).map((c) => c.name));
}

/** All exceptions as one relation with the fixed leading columns (types unified). */
export async function exceptionsUnionSql(ws: Workspace, checks?: string[]): Promise<string | null> {
  const exc = [...(await existingExcTables(ws))].filter((c) => !checks || checks.includes(c)).sort();
  const parts: string[] = [];
  for (const c of exc) {
    const have = await columnsOf(ws, `exc_${c}`);
    if (!have.has('rec_id')) continue;
    const col = (name: string, type: string): string => (have.has(name) ? `TRY_CAST(${ident(name)} AS ${type})` : `NULL::${type}`);
    parts.push(`SELECT '${c.replace(/'/g, "''")}' AS check_id, CAST(rec_id AS BIGINT) AS rec_id, ${col('nik', 'VARCHAR')} AS nik, ${col('name', 'VARCHAR')} AS name,
      ${col('program', 'VARCHAR')} AS program, ${col('period_key', 'VARCHAR')} AS period_key, ${col('paid_date', 'DATE')} AS paid_date,
      ${col('amount', 'DECIMAL(18,2)')} AS amount, ${col('reason', 'VARCHAR')} AS reason FROM ${ident(`exc_${c}`)}`);
  }
  return parts.length ? parts.join('\nUNION ALL\n') : null;
}

function sampleTableName(name: string): string {
  return name.startsWith('sample_') ? name : `sample_${name}`;
}

/** The sample as SQL: one row per record, with every check that flags it. */
async function sampleSql(ws: Workspace, o: FieldSampleOptions): Promise<{ sql: string; params: Record<string, string | number>; source: string }> {
  const union = await exceptionsUnionSql(ws, o.checks);
  const flagged = union
    ? `SELECT rec_id, string_agg(DISTINCT check_id, ',' ORDER BY check_id) AS check_ids, string_agg(DISTINCT reason, '; ') AS reasons,
         any_value(nik) AS nik, any_value(name) AS name, any_value(program) AS program, any_value(period_key) AS period_key,
         any_value(paid_date) AS paid_date, any_value(amount) AS amount
       FROM (${union}) WHERE nullif(trim(nik), '') IS NOT NULL GROUP BY rec_id`
    : `SELECT NULL::BIGINT AS rec_id, NULL::VARCHAR AS check_ids, NULL::VARCHAR AS reasons, NULL::VARCHAR AS nik, NULL::VARCHAR AS name,
         NULL::VARCHAR AS program, NULL::VARCHAR AS period_key, NULL::DATE AS paid_date, NULL::DECIMAL(18,2) AS amount WHERE false`;
  let picked: string;
  const params: Record<string, string | number> = {};
  let source: string;
  if (o.sampleTable) {
    const t = sampleTableName(o.sampleTable);
    if (!(await ws.tableExists(t))) throw new InvalidInputError(`Sample table not found: ${t}`, { reason: 'sample_table_missing', table: t });
    const have = await columnsOf(ws, t);
    if (!have.has('rec_id')) throw new InvalidInputError(`Sample table ${t} has no rec_id column`, { reason: 'sample_table_no_rec_id', table: t });
    const col = (name: string, type: string): string => (have.has(name) ? `TRY_CAST(s.${ident(name)} AS ${type})` : `NULL::${type}`);
    const order = have.has('_sample_seq') ? 's._sample_seq' : 's.rec_id';
    // A sample drawn from one exception table names its check; a sample of raw records takes every check that flags it.
    picked = `SELECT row_number() OVER (ORDER BY ${order}) AS seq, CAST(s.rec_id AS BIGINT) AS rec_id,
        ${have.has('check_id') ? `coalesce(CAST(s.check_id AS VARCHAR), f.check_ids)` : 'f.check_ids'} AS check_ids,
        coalesce(${col('nik', 'VARCHAR')}, f.nik) AS nik, coalesce(${col('name', 'VARCHAR')}, f.name) AS name,
        coalesce(${col('program', 'VARCHAR')}, f.program) AS program, coalesce(${col('period_key', 'VARCHAR')}, f.period_key) AS period_key,
        coalesce(${col('paid_date', 'DATE')}, f.paid_date) AS paid_date, coalesce(${col('amount', 'DECIMAL(18,2)')}, f.amount) AS amount,
        coalesce(${col('reason', 'VARCHAR')}, f.reasons) AS reasons
      FROM ${ident(t)} s LEFT JOIN flagged f ON f.rec_id = CAST(s.rec_id AS BIGINT)`;
    source = t;
  } else if (o.recIds && o.recIds.length) {
    const ids = o.recIds.map((x) => Number(x)).filter((x) => Number.isSafeInteger(x));
    picked = `SELECT row_number() OVER (ORDER BY rec_id) AS seq, rec_id, check_ids, nik, name, program, period_key, paid_date, amount, reasons
      FROM flagged WHERE rec_id IN (${ids.length ? ids.join(',') : 'NULL'})`;
    source = `chosen rec_id (${ids.length})`;
  } else {
    // md5 of seed and key: stable across DuckDB versions and platforms, unlike hash() or random().
    params.seed = String(o.seed ?? 1);
    params.n = Math.max(0, Math.floor(o.sample ?? 0)) || 2147483647;
    picked = `SELECT row_number() OVER (ORDER BY k) AS seq, rec_id, check_ids, nik, name, program, period_key, paid_date, amount, reasons
      FROM (SELECT *, md5($seed || ':' || CAST(rec_id AS VARCHAR)) AS k FROM flagged ORDER BY k LIMIT $n)`;
    source = o.sample ? `random ${o.sample} of exceptions, seed ${params.seed}` : 'all exceptions';
  }
  const sql = `WITH flagged AS (${flagged}),
    picked AS (${picked}),
    reg AS (SELECT nik, arg_min(kk, rec_id) AS kk, arg_min(address, rec_id) AS address, arg_min(region_code, rec_id) AS region_code
            FROM registry WHERE nik IN (SELECT nik FROM picked) GROUP BY nik),
    dis AS (SELECT rec_id, kk, region_code FROM disbursements WHERE rec_id IN (SELECT rec_id FROM picked))
    SELECT p.seq, p.nik, p.name, coalesce(nullif(trim(d.kk), ''), r.kk) AS kk, r.address, coalesce(d.region_code, r.region_code) AS region_code,
      p.program, p.period_key, p.paid_date, p.amount, p.check_ids AS temuan, p.reasons,
      NULL::VARCHAR AS hasil, NULL::DATE AS tanggal, NULL::VARCHAR AS petugas, NULL::VARCHAR AS catatan,
      p.check_ids AS check_id, CAST(p.rec_id AS VARCHAR) AS rec_id
    FROM picked p LEFT JOIN reg r ON r.nik = p.nik LEFT JOIN dis d ON d.rec_id = p.rec_id
    ORDER BY p.seq`;
  return { sql, params, source };
}

export async function writeFieldSampleWorkbook(book: ReportBook, ws: Workspace, o: FieldSampleOptions = {}): Promise<Record<string, unknown>> {
  const { sql, params, source } = await sampleSql(ws, o);
  const eng = await ws.engagement();
  const guide = await book.sheet(book.names.take('Petunjuk'), { landscape: false });
  guide.getColumn(1).width = 28;
  guide.getColumn(2).width = 90;
  const t = guide.getRow(1);
  t.getCell(1).value = book.text('LEMBAR UJI PETIK (VERIFIKASI LAPANGAN)');
  t.getCell(1).font = { bold: true, size: 14 };
  t.commit();
  writePairs(book, guide, 3, [
    ['Penugasan', eng.name], ['Entitas', eng.entity ?? ''], ['Sampel', source],
    ['Klasifikasi', book.mask ? 'NIK/KK disamarkan' : 'RAHASIA — memuat data pribadi'],
    ['Cara mengisi', `Isi kolom HASIL, TANGGAL, PETUGAS, CATATAN pada sheet "${FIELD_SHEET}". Jangan mengubah, menghapus atau menyisipkan kolom; kolom kunci tersembunyi dipakai untuk impor kembali.`],
    ['Sampel berisi', 'Hanya pengecualian atas orang (ber-NIK); baris anggaran tidak diuji petik.'],
    ['Lembar terkunci', `Sheet "${FIELD_SHEET}" diproteksi tanpa kata sandi: hanya kolom kuning (HASIL, TANGGAL, PETUGAS, CATATAN) yang dapat diisi.`],
    ['HASIL', HASIL_VALUES.join(' / ')],
    ['TANGGAL', 'Tanggal kunjungan (dd/mm/yyyy). Teks seperti "kemarin" ditolak saat impor.'],
    ['Impor kembali', 'telisik review-import --workspace W FILE.xlsx [--reviewer NAMA]. Impor ditolak (tidak ada yang masuk) bila ada baris '
      + 'dengan HASIL/TANGGAL tidak sah, hasil bertentangan untuk rec_id yang sama, atau baris yang tidak cocok dengan pengecualian; baris yang '
      + 'dihapus dari lembar dilaporkan.'],
  ]);
  // The mapping of each field result per check family, as the import applies it.
  let gr = 20;
  const mh = guide.getRow(gr++);
  mh.getCell(1).value = book.text('ARTI HASIL PER KELOMPOK UJI (status reviu yang diterapkan saat impor)');
  mh.getCell(1).font = { bold: true };
  mh.commit();
  for (const fam of Object.keys(FIELD_MAP) as Family[]) {
    const text = HASIL_VALUES.map((h) => {
      const [st, why] = FIELD_MAP[fam][h];
      return `${h} → ${OUTCOME_LABEL[st]}${why ? ` (${why})` : ''}`;
    }).join('\n');
    const row = guide.getRow(gr++);
    row.getCell(1).value = book.text(FAMILY_LABEL[fam]);
    row.getCell(1).font = { bold: true };
    row.getCell(1).alignment = { wrapText: true, vertical: 'top' };
    row.getCell(2).value = book.text(text);
    row.getCell(2).alignment = { wrapText: true, vertical: 'top' };
    row.height = rowHeight(Math.max(textLines(FAMILY_LABEL[fam], 28), textLines(text, 90)));
    row.commit();
  }

  const labels: Record<string, string> = {
    seq: 'No', nik: 'NIK', name: 'Nama', kk: 'No. KK', address: 'Alamat', region_code: 'Kode wilayah', program: 'Program',
    period_key: 'Periode', paid_date: 'Tanggal salur', amount: 'Nilai (Rp)', temuan: 'Temuan', reasons: 'Alasan',
    hasil: 'HASIL', tanggal: 'TANGGAL', petugas: 'PETUGAS', catatan: 'CATATAN', check_id: 'KUNCI Kode Uji', rec_id: 'KUNCI ID Rekaman',
  };
  let cols: ColumnSpec[] = [];
  const hasilIdx = (): number => cols.findIndex((c) => c.key === 'hasil');
  const table = await writeQueryTable(book, ws, FIELD_SHEET, sql, params, {
    phase: 'field-sample', labels,
    kinds: { seq: 'int', hasil: 'text', tanggal: 'date', petugas: 'text', catatan: 'text', check_id: 'text', rec_id: 'text', temuan: 'text' },
    widths: { seq: 6, name: 26, address: 36, temuan: 24, reasons: 36, hasil: 18, tanggal: 13, petugas: 18, catatan: 36, check_id: 14, rec_id: 14 },
    hidden: ['check_id', 'rec_id'],
    protect: { unlocked: ['hasil', 'tanggal', 'petugas', 'catatan'] },
    onColumns: (c) => { cols = c; },
    onSheetDone: (sheet, _name, first, lastRow) => {
      // exceljs types omit dataValidations on Worksheet; the streaming writer has it.
      const s = sheet as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } };
      const last = Math.max(lastRow, first);
      const L = (i: number): string => String.fromCharCode(65 + i);
      const h = hasilIdx();
      s.dataValidations.add(`${L(h)}${first}:${L(h)}${last}`, {
        type: 'list', allowBlank: true, formulae: [`"${HASIL_VALUES.join(',')}"`],
        showErrorMessage: true, errorStyle: 'stop', errorTitle: 'HASIL', error: `Pilih salah satu: ${HASIL_VALUES.join(', ')}`,
        showInputMessage: true, promptTitle: 'HASIL', prompt: HASIL_VALUES.join(' / '),
      });
      s.dataValidations.add(`${L(h + 1)}${first}:${L(h + 1)}${last}`, {
        type: 'date', operator: 'between', allowBlank: true, formulae: [new Date(Date.UTC(2000, 0, 1)), new Date(Date.UTC(2100, 11, 31))],
        showErrorMessage: true, errorStyle: 'stop', errorTitle: 'TANGGAL', error: 'Isi tanggal kunjungan (dd/mm/yyyy).',
      });
      s.dataValidations.add(`${L(h + 2)}${first}:${L(h + 2)}${last}`, { type: 'textLength', operator: 'lessThanOrEqual', allowBlank: true, formulae: [200] });
    },
  });
  // Hidden key: every issued row, so a row deleted from the returned sheet is reported on import.
  await writeQueryTable(book, ws, FIELD_KEY_SHEET, `SELECT seq, rec_id, check_id FROM (${sql})`, params, { phase: 'field-sample', hiddenSheet: true });
  await writeMethodology(book, ws);
  const { trail } = await writeTrailSheets(book, ws);
  return { source, rows: table.rows, sheets: table.sheetNames, trail_head: trail.head, checks: o.checks ?? null };
}

/** Title of a check for display next to its id (used by the UI). */
export function checkTitle(id: string): string {
  return checkInfo(id).title;
}
