/**
 * The reason catalogue: why a record is an exception, declared ONCE in Indonesian and English. Every check's SQL
 * writes a reason CODE and its PARAMETERS (columns `reason_code`, `reason_params` — a JSON object of text values) into
 * its exc_<check> table; the Indonesian `reason` text column is rendered from the same template by the SQL macro
 * `reason_text(code, params)` (generated below, created on every workspace connection), so workbooks, exports and
 * seals keep reading the text they always read. The UI renders the code and parameters in its own language.
 *
 * Template syntax:
 *   {name}              the parameter's text; a missing value makes the whole reason NULL in SQL (as `||` does)
 *   {name|fallback}     the fallback text when the parameter is NULL (e.g. `(kosong)` / `(empty)`)
 *   [ … ]               an optional segment, left out when any parameter inside it is NULL
 *
 * Plain rendering (SQL, workbooks) prints parameters exactly as the SQL wrote them (`300000.00`, `2025-03-14`);
 * display rendering (UI) formats them by kind (`Rp 300.000`, `14 Mar 2025`, `0,7512`) in the UI's language.
 *
 * No Node/Electron/DOM imports (src/shared rule).
 */

export type ReasonLang = 'id' | 'en';

/** How a parameter is shown in the UI (plain rendering always prints the stored text). */
export type ReasonParamKind = 'text' | 'rupiah' | 'count' | 'int' | 'number' | 'date' | 'nik_rule';

export interface ReasonTemplate {
  /** The check whose exceptions carry this code. */
  check: string;
  id: string;
  en: string;
  params: Record<string, ReasonParamKind>;
}

const RUPIAH_RULE: Record<string, ReasonParamKind> = { amount: 'rupiah', expected: 'rupiah', monthly: 'rupiah', months: 'count', program: 'text' };

export const REASONS: Record<string, ReasonTemplate> = {
  realization_mismatch: {
    check: 'realization_mismatch',
    id: 'Realisasi {realization} berbeda {difference} dari jumlah penyaluran tersalur {paid_sum} yang menjadi bagian baris anggaran ini',
    en: 'Realisation {realization} differs by {difference} from the paid disbursements of {paid_sum} that belong to this budget line',
    params: { realization: 'rupiah', difference: 'rupiah', paid_sum: 'rupiah' },
  },
  overpayment: {
    check: 'overpayment',
    id: 'Nilai {amount} melebihi nilai seharusnya {expected} ({monthly} × {months} bulan) program {program}',
    en: 'Amount {amount} exceeds the expected {expected} ({monthly} × {months} months) of programme {program}',
    params: RUPIAH_RULE,
  },
  underpayment: {
    check: 'underpayment',
    id: 'Nilai {amount} kurang dari nilai seharusnya {expected} ({monthly} × {months} bulan) program {program}',
    en: 'Amount {amount} is below the expected {expected} ({monthly} × {months} months) of programme {program}',
    params: RUPIAH_RULE,
  },
  undistributed: {
    check: 'undistributed',
    id: 'Dana tidak tersalur: status {status}[ ({status_raw})]',
    en: 'Funds not disbursed: status {status}[ ({status_raw})]',
    params: { status: 'text', status_raw: 'text' },
  },
  duplicate_payment: {
    check: 'duplicate_payment',
    id: 'Pembayaran ke-{seq} untuk NIK, program dan periode {period_key|(kosong)} yang sama (pertama: baris {first_line})',
    en: 'Payment no. {seq} for the same NIK, programme and period {period_key|(empty)} (first: row {first_line})',
    params: { seq: 'int', period_key: 'text', first_line: 'int' },
  },
  household_duplicate: {
    check: 'household_duplicate',
    id: 'Keluarga {household_key} sudah menerima {program} periode {period_key|(kosong)} melalui NIK {first_nik} (baris {first_line})',
    en: 'Household {household_key} already received {program} for period {period_key|(empty)} through NIK {first_nik} (row {first_line})',
    params: { household_key: 'text', program: 'text', period_key: 'text', first_nik: 'text', first_line: 'int' },
  },
  shared_account: {
    check: 'shared_account',
    id: 'Rekening/kartu {account} dipakai oleh {nik_count} NIK berbeda',
    en: 'Account/card {account} is used by {nik_count} different NIKs',
    params: { account: 'text', nik_count: 'count' },
  },
  flagged_recipient: {
    check: 'flagged_recipient',
    id: 'NIK ada di daftar pembanding: {lists}',
    en: 'NIK is on the comparison list(s): {lists}',
    params: { lists: 'text' },
  },
  ineligible_desil: {
    check: 'ineligible_desil',
    id: 'Desil registri yang berlaku {desil} melebihi batas desil {max_desil} program {program}',
    en: 'Registry desil in force {desil} is above the desil limit {max_desil} of programme {program}',
    params: { desil: 'int', max_desil: 'int', program: 'text' },
  },
  program_overlap: {
    check: 'program_overlap',
    id: 'Keluarga {household_key} juga menerima {other_programs} pada tahun {year}',
    en: 'Household {household_key} also received {other_programs} in {year}',
    params: { household_key: 'text', other_programs: 'text', year: 'int' },
  },
  civil_servant: {
    check: 'civil_servant',
    id: 'NIK terdaftar sebagai ASN/TNI/Polri[ ({detail})]',
    en: 'NIK is registered as a civil servant, soldier or police officer (ASN/TNI/Polri)[ ({detail})]',
    params: { detail: 'text' },
  },
  deceased: {
    check: 'deceased',
    id: 'Disalurkan {days} hari setelah tanggal meninggal {death_date}',
    en: 'Paid {days} day(s) after the date of death {death_date}',
    params: { days: 'count', death_date: 'date' },
  },
  identity_duplicate: {
    check: 'identity_duplicate',
    id: 'Identitas ganda: tanggal lahir registri sama dan nama registri mirip ({similarity}) dengan NIK {other_niks} di program {program}',
    en: 'Duplicate identity: same registry birth date and similar registry name ({similarity}) as NIK {other_niks} in programme {program}',
    params: { similarity: 'number', other_niks: 'text', program: 'text' },
  },
  name_mismatch: {
    check: 'name_mismatch',
    id: 'Nama penerima berbeda dengan nama registri "{registry_name}" (kemiripan {similarity})',
    en: 'Recipient name differs from the registry name "{registry_name}" (similarity {similarity})',
    params: { registry_name: 'text', similarity: 'number' },
  },
  nik_invalid: {
    check: 'nik_invalid',
    id: 'NIK tidak valid secara struktur ({rule})',
    en: 'Structurally invalid NIK ({rule})',
    params: { rule: 'nik_rule' },
  },
  'nik_invalid.damaged': {
    check: 'nik_invalid',
    id: 'NIK tidak valid secara struktur ({rule}) — rusak oleh spreadsheet',
    en: 'Structurally invalid NIK ({rule}) — damaged by a spreadsheet',
    params: { rule: 'nik_rule' },
  },
  not_in_registry: {
    check: 'not_in_registry',
    id: 'NIK valid tetapi tidak terdapat dalam data registri (DTKS/DTSEN)',
    en: 'Valid NIK not found in the registry (DTKS/DTSEN)',
    params: {},
  },
  'nik_attribute_mismatch.birth_date': {
    check: 'nik_attribute_mismatch',
    id: 'tanggal lahir {birth_date} berbeda dengan NIK ({nik_date})',
    en: 'birth date {birth_date} differs from the NIK ({nik_date})',
    params: { birth_date: 'date', nik_date: 'text' },
  },
  'nik_attribute_mismatch.sex': {
    check: 'nik_attribute_mismatch',
    id: 'jenis kelamin {sex} berbeda dengan NIK ({nik_sex})',
    en: 'sex {sex} differs from the NIK ({nik_sex})',
    params: { sex: 'text', nik_sex: 'text' },
  },
  'nik_attribute_mismatch.birth_date_sex': {
    check: 'nik_attribute_mismatch',
    id: 'tanggal lahir {birth_date} berbeda dengan NIK ({nik_date}); jenis kelamin {sex} berbeda dengan NIK ({nik_sex})',
    en: 'birth date {birth_date} differs from the NIK ({nik_date}); sex {sex} differs from the NIK ({nik_sex})',
    params: { birth_date: 'date', nik_date: 'text', sex: 'text', nik_sex: 'text' },
  },
  registry_duplicate_nik: {
    check: 'registry_duplicate_nik',
    id: 'NIK berulang di registri (kemunculan ke-{seq} dalam snapshot yang sama, pertama di baris {first_line})',
    en: 'NIK repeated in the registry (occurrence no. {seq} in the same snapshot, first at row {first_line})',
    params: { seq: 'int', first_line: 'int' },
  },
};

/** The NIK structure rules (macro nik_invalid_reason) in words. */
export const NIK_RULES: Record<string, { id: string; en: string }> = {
  length: { id: 'bukan 16 digit', en: 'not 16 digits' },
  province: { id: 'kode provinsi tidak dikenal', en: 'unknown province code' },
  day: { id: 'tanggal lahir di luar 01–31/41–71', en: 'birth day outside 01–31/41–71' },
  month: { id: 'bulan lahir di luar 01–12', en: 'birth month outside 01–12' },
  date: { id: 'tanggal lahir tidak mungkin', en: 'impossible birth date' },
  serial: { id: 'nomor urut 0000', en: 'serial number 0000' },
};

type Token = { t: 'lit'; s: string } | { t: 'param'; name: string; fallback?: string } | { t: 'opt'; parts: Token[] };

/** Parses a template into literals, parameters and optional segments. */
export function parseTemplate(template: string): Token[] {
  const out: Token[] = [];
  const stack: Token[][] = [out];
  let lit = '';
  const flush = () => { if (lit) { stack[stack.length - 1].push({ t: 'lit', s: lit }); lit = ''; } };
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c === '{') {
      const end = template.indexOf('}', i);
      if (end < 0) throw new Error(`Unclosed { in reason template: ${template}`);
      flush();
      const [name, fallback] = template.slice(i + 1, end).split('|');
      stack[stack.length - 1].push(fallback === undefined ? { t: 'param', name } : { t: 'param', name, fallback });
      i = end;
    } else if (c === '[') {
      flush();
      const seg: Token = { t: 'opt', parts: [] };
      stack[stack.length - 1].push(seg);
      stack.push(seg.parts);
    } else if (c === ']') {
      if (stack.length < 2) throw new Error(`Unbalanced ] in reason template: ${template}`);
      flush();
      stack.pop();
    } else lit += c;
  }
  if (stack.length !== 1) throw new Error(`Unclosed [ in reason template: ${template}`);
  flush();
  return out;
}

/** The parameter names a template uses. */
export function templateParams(template: string): string[] {
  const names: string[] = [];
  const walk = (ts: Token[]) => { for (const x of ts) if (x.t === 'param') names.push(x.name); else if (x.t === 'opt') walk(x.parts); };
  walk(parseTemplate(template));
  return [...new Set(names)];
}

export interface ReasonFormat {
  /** Formats a rupiah/count/number value (already parsed) in the language; absent = the stored text. */
  number?: (kind: 'rupiah' | 'count' | 'number', value: number, decimals: number) => string;
  /** Formats a YYYY-MM-DD date; absent = the stored text. */
  date?: (iso: string) => string;
}

function paramText(raw: string, kind: ReasonParamKind, lang: ReasonLang, fmt: ReasonFormat | undefined): string {
  if (!fmt) return raw;
  if (kind === 'nik_rule') return NIK_RULES[raw]?.[lang] ?? raw;
  if ((kind === 'rupiah' || kind === 'count' || kind === 'number') && fmt.number && /^-?\d+(\.\d+)?$/.test(raw.trim())) {
    const decimals = kind === 'number' ? (raw.split('.')[1]?.length ?? 0) : 0;
    return fmt.number(kind, Number(raw), decimals);
  }
  if (kind === 'date' && fmt.date && /^\d{4}-\d{2}-\d{2}$/.test(raw)) return fmt.date(raw);
  return raw;
}

function asParams(params: unknown): Record<string, unknown> {
  if (typeof params === 'string') {
    try { const p = JSON.parse(params) as unknown; return p && typeof p === 'object' ? p as Record<string, unknown> : {}; } catch { return {}; }
  }
  return params && typeof params === 'object' ? params as Record<string, unknown> : {};
}

/**
 * A reason in a language. `params` is the reason_params object or its JSON text. Without `fmt` the parameters print
 * as stored (the SQL macro's text, byte for byte, in Indonesian); with `fmt` they are formatted by kind. An unknown code
 * gives null (the caller shows the stored text). A missing required parameter renders as empty (the UI shows what it
 * has); in SQL it makes the reason NULL.
 */
export function renderReason(code: string | null | undefined, params: unknown, lang: ReasonLang, fmt?: ReasonFormat): string | null {
  if (!code) return null;
  const def = REASONS[code];
  if (!def) return null;
  const p = asParams(params);
  const value = (name: string): string | null => {
    const v = p[name];
    return v === null || v === undefined ? null : String(v);
  };
  const render = (ts: Token[]): string | null => {
    let s = '';
    for (const x of ts) {
      if (x.t === 'lit') s += x.s;
      else if (x.t === 'opt') s += render(x.parts) ?? '';
      else {
        const v = value(x.name);
        if (v === null) {
          if (x.fallback !== undefined) { s += x.fallback; continue; }
          return null;
        }
        s += paramText(v, def.params[x.name] ?? 'text', lang, fmt);
      }
    }
    return s;
  };
  // Optional segments drop out on a NULL; at the top level a missing parameter renders as empty.
  const top = (ts: Token[]): string => ts.map((x) => (x.t === 'param' && value(x.name) === null && x.fallback === undefined ? '' : render([x]) ?? '')).join('');
  return top(parseTemplate(lang === 'en' ? def.en : def.id));
}

const sqlString = (s: string): string => `'${s.replace(/'/g, "''")}'`;

function sqlExpr(ts: Token[]): string {
  const parts = ts.map((x) => {
    if (x.t === 'lit') return sqlString(x.s);
    if (x.t === 'opt') return `coalesce(${sqlExpr(x.parts)}, '')`;
    if (!/^[a-z_][a-z0-9_]*$/.test(x.name)) throw new Error(`Bad reason parameter name: ${x.name}`);
    const v = `json_extract_string(p, '$.${x.name}')`;
    return x.fallback === undefined ? v : `coalesce(${v}, ${sqlString(x.fallback)})`;
  });
  return parts.length === 0 ? `''` : parts.join(' || ');
}

/**
 * The SQL macro `reason_text(code, p)`: the Indonesian text of a reason code with its JSON parameters, from the
 * Indonesian templates above (the one source of the text in exc_*.reason, workbooks and exports).
 */
export function reasonMacroSql(): string {
  const whens = Object.entries(REASONS).map(([code, d]) => `    WHEN ${sqlString(code)} THEN ${sqlExpr(parseTemplate(d.id))}`);
  return `-- Generated from src/shared/reasons.ts (the reason catalogue): the Indonesian text of a reason code.\n`
    + `CREATE OR REPLACE TEMP MACRO reason_text(code, p) AS (\n  CASE code\n${whens.join('\n')}\n    ELSE NULL END);\n`;
}

/**
 * Engine errors with a reason code (AppError.details.reason) and parameters (the other keys of details), in both
 * languages. The UI renders an error from this table first; only errors without a code fall back on the message.
 * Parameters use the reason template syntax above ({name}, {name|fallback}, [optional]).
 */
export const ERROR_REASONS: Record<string, { id: string; en: string }> = {
  sql_empty: { id: 'Kueri kosong — tulis satu pernyataan SELECT.', en: 'The query is empty — write one SELECT statement.' },
  sql_too_long: { id: 'Kueri terlalu panjang.', en: 'The query is too long.' },
  sql_parse: { id: 'Kueri tidak dapat diurai — periksa ejaan SQL-nya.', en: 'The query cannot be parsed — check its SQL.' },
  sql_not_select: { id: 'Hanya pernyataan SELECT (baca saja) yang diizinkan — data penugasan tidak dapat diubah dari kotak kueri.', en: 'Only a SELECT (read-only) statement is allowed — the engagement data cannot be changed from the query box.' },
  sql_multiple: { id: 'Hanya satu pernyataan SELECT per kueri.', en: 'Only one SELECT statement per query.' },
  sql_table_function: { id: 'Fungsi tabel (read_csv, glob, …) tidak diizinkan — kueri hanya membaca tabel penugasan.', en: 'Table functions (read_csv, glob, …) are not allowed — a query reads engagement tables only.' },
  sql_table: { id: 'Kueri hanya boleh membaca tabel penugasan ini (bukan berkas atau basis data lain).', en: 'A query may read this engagement’s tables only (no files or other databases).' },
  sql_function: { id: 'Fungsi yang membaca lingkungan atau pengaturan tidak diizinkan.', en: 'Functions that read the environment or settings are not allowed.' },
  sql_timeout: { id: 'Kueri dihentikan: melebihi batas waktu[ {seconds} detik]. Persempit kuerinya (filter, LIMIT) lalu coba lagi.', en: 'The query was stopped: it ran over the time limit[ of {seconds} s]. Narrow it (filter, LIMIT) and try again.' },
  binary_file: { id: 'Berkas[ {file}] bukan CSV/TXT, XLSX atau Parquet (berkas biner). Ekspor ulang data dari sistem sumber sebagai CSV atau XLSX.', en: 'File[ {file}] is not CSV/TXT, XLSX or Parquet (a binary file). Export the data again from the source system as CSV or XLSX.' },
  not_written: { id: 'Berkas ini tidak ditulis oleh Telisik pada sesi ini.', en: 'This file was not written by Telisik in this session.' },
  needs_tables: { id: 'Data yang diperlukan[ ({tables})] belum diimpor — impor dahulu.', en: 'The data this needs[ ({tables})] has not been imported yet — import it first.' },
  demo_dir_not_empty: { id: 'Folder contoh harus baru atau kosong.', en: 'The demo folder must be new or empty.' },
  workspace_in_use: { id: 'Berkas penugasan sedang dipakai (sudah terbuka di program atau jendela lain). Tutup di sana, lalu coba lagi.', en: 'The engagement file is in use (already open in another program or window). Close it there, then try again.' },
  workspace_not_found: { id: 'Berkas penugasan tidak ditemukan[: {path}].', en: 'Engagement file not found[: {path}].' },
  workspace_exists: { id: 'Berkas penugasan sudah ada[: {path}] — pilih nama lain atau buka berkas itu.', en: 'The engagement file already exists[: {path}] — choose another name or open that file.' },
  workspace_schema: { id: 'Berkas ini bukan berkas penugasan Telisik yang dapat dibuka versi ini[: {path}].', en: 'This file is not a Telisik engagement file this version can open[: {path}].' },
  // The output-path policy (src/engine/output.ts OutputPathError)
  output_invalid: { id: 'Berkas keluaran ditolak: pilih nama berkas lain (bukan penugasan, berkas sumber atau folder) dengan ekstensi yang benar.', en: 'The output file was refused: choose another file name (not the engagement, a source file or a folder) with the right extension.' },
  output_outside: { id: 'Berkas keluaran berada di luar folder penugasan — konfirmasi untuk tetap menyimpan di sana.', en: 'The output file is outside the engagement folder — confirm to save it there anyway.' },
  // A duplicate import (DuplicateImportError): the earlier import named with every fact the engine knows
  duplicate_import: { id: 'Berkas[ {file}] sudah pernah diimpor: impor #{earlier_id|?} ({earlier_file|-}, {earlier_at|-}, {earlier_rows|?} baris ke {earlier_table|?}), SHA-256 sama — mengimpor lagi akan menghitung setiap baris dua kali.', en: 'File[ {file}] was imported before: import #{earlier_id|?} ({earlier_file|-}, {earlier_at|-}, {earlier_rows|?} rows into {earlier_table|?}), same SHA-256 — importing it again would count every row twice.' },
  // Workbooks
  sample_table_missing: { id: 'Tabel sampel[ {table}] tidak ada.', en: 'Sample table[ {table}] does not exist.' },
  sample_table_no_rec_id: { id: 'Tabel sampel[ {table}] tidak memiliki kolom rec_id.', en: 'Sample table[ {table}] has no rec_id column.' },
  write_failed: { id: 'Gagal menulis berkas[ {path}][ (kode {errno})]; berkas sementara dihapus.', en: 'Writing the file[ {path}] failed[ (code {errno})]; the partial file was removed.' },
  // Settings
  rules: { id: 'Aturan program tidak sah — periksa nilai yang diubah.', en: 'The programme rules are not valid — check the values you changed.' },
};

/** An engine error's text in a language from its reason code and parameters; null when the code is not catalogued. */
/** The canonical tables by their users' names (a `tables` parameter never shows a raw table name). */
const TABLE_NAMES: Record<string, { id: string; en: string }> = {
  registry: { id: 'registri DTSEN', en: 'DTSEN registry' }, disbursements: { id: 'data penyaluran', en: 'disbursements' },
  budget: { id: 'pagu/realisasi anggaran', en: 'budget lines' }, deaths: { id: 'data kematian', en: 'deaths' },
  civil_servants: { id: 'data ASN/TNI/Polri', en: 'civil servants' }, complaints: { id: 'pengaduan', en: 'complaints' },
  flags: { id: 'daftar pembanding', en: 'comparison lists' },
};

export function renderErrorReason(details: unknown, lang: ReasonLang): string | null {
  if (!details || typeof details !== 'object') return null;
  const d = details as Record<string, unknown>;
  const code = typeof d.reason === 'string' ? d.reason : null;
  const def = code ? ERROR_REASONS[code] : undefined;
  if (!def) return null;
  const text = (v: unknown): string | null => (v === null || v === undefined || v === '' ? null
    : Array.isArray(v) ? v.map(String).join(', ') : String(v));
  const render = (ts: Token[]): string | null => {
    let s = '';
    for (const x of ts) {
      if (x.t === 'lit') s += x.s;
      else if (x.t === 'opt') s += render(x.parts) ?? '';
      else {
        const raw = d[x.name];
        const v = text(x.name === 'tables' && Array.isArray(raw) ? raw.map((t) => TABLE_NAMES[String(t)]?.[lang] ?? String(t)) : raw);
        if (v === null) { if (typeof x.fallback === 'string') { s += x.fallback; continue; } return null; }
        s += v;
      }
    }
    return s;
  };
  return render(parseTemplate(lang === 'en' ? def.en : def.id)) ?? (lang === 'en' ? def.en : def.id).replace(/\[[^\]]*\]/g, '');
}

/**
 * Why an indicator was not evaluated (Evaluasi, Pengawasan): the engine writes `reason` (this Indonesian text, which
 * the summary keeps) and `reason_code`; the UI renders the code in its language.
 */
export const INDICATOR_REASONS: Record<string, { id: string; en: string }> = {
  impact_no_disbursements: { id: 'Data penyaluran belum dimuat', en: 'Disbursement data not loaded yet' },
  impact_no_registry: { id: 'Data registri (DTKS/DTSEN) belum dimuat: cakupan dan graduasi tidak dinilai', en: 'Registry data (DTKS/DTSEN) not loaded yet: coverage and graduation not evaluated' },
  graduation_no_registry: { id: 'Data registri (DTKS/DTSEN) belum dimuat; graduasi tidak dinilai.', en: 'Registry data (DTKS/DTSEN) not loaded yet; graduation not evaluated.' },
  graduation_one_snapshot: { id: 'Graduasi memerlukan minimal dua snapshot registri (kolom snapshot/PERIODE_DATA); tidak dinilai.', en: 'Graduation needs at least two registry snapshots (snapshot/PERIODE_DATA column); not evaluated.' },
  complaints_none: { id: 'Data pengaduan belum dimuat', en: 'Complaint data not loaded yet' },
  timing_no_paid_dates: { id: 'Tidak ada penyaluran tersalur dengan tanggal salur', en: 'No paid disbursement with a payment date' },
};

/** A not-evaluated indicator's reason in a language from its code; null when it has none (show `reason`). */
export function indicatorReason(v: { reason_code?: string | null } | null | undefined, lang: ReasonLang): string | null {
  const d = v?.reason_code ? INDICATOR_REASONS[v.reason_code] : undefined;
  return d ? d[lang] : null;
}
