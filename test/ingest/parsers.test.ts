import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installParsers } from '../../src/engine/ingest';
import { setup, type Ctx } from './helpers';

let c: Ctx;
beforeAll(async () => { c = await setup(); await installParsers(c.ws); });
afterAll(async () => { await c.close(); });

const q = async <T>(sql: string, params: Record<string, unknown>) => c.ws.scalar<T>(sql, params as never);
/** Evaluates expr (over column s) for many inputs in ONE query (macro binding is the slow part). */
const batch = async (expr: string, inputs: string[]): Promise<unknown[]> => {
  const rows = await c.ws.all<{ v: unknown }>(`SELECT ${expr} AS v FROM (SELECT unnest(from_json($j::JSON, '["VARCHAR"]')) AS s, generate_subscripts(from_json($j::JSON, '["VARCHAR"]'), 1) AS i) ORDER BY i`, { j: JSON.stringify(inputs) });
  return rows.map((r) => r.v);
};
const many = <T>(arb: fc.Arbitrary<T>, n = 300) => fc.array(arb, { minLength: n, maxLength: n });
const ws = fc.constantFrom(' ', '\t', '\u00a0', '  ', '');
const pad = (n: number) => String(n).padStart(2, '0');
const ID_MONTHS = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'];
const EN_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const ABBR = ['Jan', 'Peb', 'Mar', 'Apr', 'Mei', 'Jun', 'Jul', 'Agt', 'Sep', 'Okt', 'Nop', 'Des'];

describe('NIK normalisation (property)', () => {
  it('trims whitespace (incl. NBSP), strips one apostrophe, keeps everything else', async () => {
    const item = fc.tuple(fc.stringMatching(/^[0-9]{16}$/), ws, ws, ws, fc.boolean());
    await fc.assert(fc.asyncProperty(many(item), async (items) => {
      const out = await batch('tl_id(tl_trim(s))', items.map(([nik, a, b, d, apos]) => `${a}${apos ? "'" : ''}${b}${nik}${d}`));
      expect(out).toEqual(items.map((x) => x[0]));
    }), { numRuns: 3, endOnFailure: true });
  });
  it('an inner space or a second apostrophe stays (structurally invalid, not fixed)', async () => {
    await fc.assert(fc.asyncProperty(many(fc.tuple(fc.stringMatching(/^[0-9]{16}$/), fc.integer({ min: 1, max: 15 }))), async (items) => {
      const spaced = items.map(([nik, k]) => nik.slice(0, k) + ' ' + nik.slice(k));
      expect(await batch('tl_id(tl_trim(s))', spaced)).toEqual(spaced);
      expect(await batch('tl_id(tl_trim(s))', items.map(([nik]) => "''" + nik))).toEqual(items.map(([nik]) => "'" + nik));
    }), { numRuns: 2, endOnFailure: true });
  });
  it('scientific notation is detected as spreadsheet damage', async () => {
    const item = fc.tuple(fc.integer({ min: 1, max: 9 }), fc.stringMatching(/^[0-9]{1,10}$/), fc.integer({ min: 10, max: 15 }), fc.constantFrom('E+', 'e+', 'E'));
    await fc.assert(fc.asyncProperty(many(item, 100), async (items) => {
      const out = await batch('tl_is_sci(s)', items.map(([d, frac, e, sep]) => `${d}.${frac}${sep}${e}`));
      expect(out.every((v) => v === true)).toBe(true);
    }), { numRuns: 2, endOnFailure: true });
    expect(await q<boolean>(`SELECT tl_is_sci($s)`, { s: '3201014101900001' })).toBe(false);
  });
});

describe('dates (property)', () => {
  const date = fc.date({ min: new Date(Date.UTC(1901, 0, 1)), max: new Date(Date.UTC(2099, 11, 31)), noInvalidDate: true })
    .map((d) => ({ y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate() }));
  it('every supported form parses to the same date (day-first)', async () => {
    await fc.assert(fc.asyncProperty(many(fc.tuple(date, fc.integer({ min: 0, max: 8 }))), async (items) => {
      const cases = items.map(([{ y, m, d }, form]) => {
        const iso = `${y}-${pad(m)}-${pad(d)}`;
        const serial = Math.round((Date.UTC(y, m - 1, d) - Date.UTC(1899, 11, 30)) / 86400000);
        const text = [iso, `${pad(d)}/${pad(m)}/${y}`, `${d}-${m}-${y}`, `${pad(d)}.${pad(m)}.${y}`, `${d} ${ID_MONTHS[m - 1]} ${y}`,
          `${d} ${EN_MONTHS[m - 1]} ${y}`, `${pad(d)}-${ABBR[m - 1]}-${y}`, String(serial), `${iso} 10:11:12`][form];
        return form === 7 && serial < 10000 ? { text: iso, iso } : { text, iso };
      });
      expect(await batch('tl_date(tl_trim(s), false)::VARCHAR', cases.map((x) => x.text))).toEqual(cases.map((x) => x.iso));
    }), { numRuns: 3, endOnFailure: true });
  });
  it('month-first when the column proves it', async () => {
    expect(await q<string>(`SELECT tl_date($s, true)::VARCHAR`, { s: '12/25/2024' })).toBe('2024-12-25');
    expect(await q<string>(`SELECT tl_date($s, false)::VARCHAR`, { s: '12/25/2024' })).toBe(null);
  });
  it('impossible dates and garbage are NULL', async () => {
    const out = await batch('tl_date(tl_trim(s), false)::VARCHAR', ['31/02/2025', '2025-13-01', 'kemarin', '00/00/0000', '32 Januari 2025']);
    expect(out).toEqual([null, null, null, null, null]);
  });
});

describe('amounts (property)', () => {
  const idThousands = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  const usThousands = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const AMT = (us: boolean) => `tl_amount(tl_amount_clean1(tl_amount_clean0(tl_trim(s))), ${us})::DOUBLE`;
  it('Indonesian forms parse in an Indonesian column', async () => {
    const item = fc.tuple(fc.integer({ min: 0, max: 999_999_999_999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 6 }), fc.boolean());
    await fc.assert(fc.asyncProperty(many(item), async (items) => {
      const cases = items.map(([n, cents, form, neg]) => {
        const txt = [String(n), idThousands(n), `${idThousands(n)},${pad(cents)}`, `Rp ${idThousands(n)}`, `Rp${idThousands(n)},-`, `IDR ${idThousands(n)}`, `Rp. ${idThousands(n)},${pad(cents)}`][form];
        const expected = (form === 2 || form === 6 ? n + cents / 100 : n) * (neg ? -1 : 1);
        return { s: neg ? (form % 2 ? `-${txt}` : `(${txt})`) : txt, expected };
      });
      const out = await batch(AMT(false), cases.map((x) => x.s));
      out.forEach((v, i) => expect(Math.abs(Number(v) - cases[i].expected), cases[i].s).toBeLessThan(0.001));
    }), { numRuns: 3, endOnFailure: true });
  });
  it('comma-thousands/dot-decimal values carry their own style; ambiguous ones follow the column', async () => {
    await fc.assert(fc.asyncProperty(many(fc.tuple(fc.integer({ min: 1000, max: 999_999_999 }), fc.integer({ min: 0, max: 99 }))), async (items) => {
      const own = await batch(AMT(false), items.map(([n, cents]) => `Rp${usThousands(n)}.${pad(cents)}`));
      own.forEach((v, i) => expect(Number(v)).toBeCloseTo(items[i][0] + items[i][1] / 100, 2));
      const amb = await batch(AMT(true), items.map(([n]) => usThousands(n)));
      expect(amb.map(Number)).toEqual(items.map(([n]) => n));
    }), { numRuns: 2, endOnFailure: true });
  });
  it('garbage is NULL', async () => {
    expect(await batch(AMT(false), ['abc', 'Rp', '-', '12a', '1.2.3,4,5'])).toEqual([null, null, null, null, null]);
  });
});

describe('codes', () => {
  const check = async (expr: string, pairs: [string, unknown][]) =>
    expect(await batch(expr, pairs.map((p) => p[0]))).toEqual(pairs.map((p) => p[1]));
  it('sex, programme, status, desil, period key', async () => {
    await check('tl_sex(tl_trim(s))', [['L', 'L'], ['laki-laki', 'L'], ['LAKI LAKI', 'L'], ['Pria', 'L'], ['1', 'L'], ['M', 'L'], ['P', 'P'], ['Perempuan', 'P'], ['WANITA', 'P'], ['2', 'P'], ['F', 'P'], ['x', null]]);
    await check('tl_program(tl_upper(tl_trim(s)))', [['pkh', 'PKH'], ['Program Sembako', 'BPNT'], ['BPNT', 'BPNT'], ['BST', 'BLT'], ['Bansos Tunai', 'BLT'], ['BLT BBM', 'BLT'], ['BLT Desa', 'BLT_DD'], ['BLT Dana Desa', 'BLT_DD'], ['BLTDD', 'BLT_DD'], ['KIP', 'PIP'], ['bantuan  yatim ', 'BANTUAN YATIM']]);
    await check('tl_status(tl_upper(tl_trim(s)))', [['Tersalur', 'PAID'], [' sukses ', 'PAID'], ['', 'PAID'], ['Gagal Salur', 'FAILED'], ['retur', 'RETURNED'], ['Dikembalikan', 'RETURNED'], ['proses', 'PROSES']]);
    await check('tl_desil(tl_trim(s))', [['3', 3], ['DESIL 3', 3], ['3.0', 3], ['10', 10], ['11', null], ['0', null]]);
    await check(`tl_period_key(tl_upper(tl_trim(s)), DATE '2025-03-09')`, [['2025-01', '2025-01'], ['01/2025', '2025-01'], ['1-2025', '2025-01'], ['202501', '2025-01'], ['Januari 2025', '2025-01'], ['JAN 2025', '2025-01'],
      ['2025-01-15', '2025-01'], ['TAHAP 1 2025', '2025-T1'], ['Tahap II 2025', '2025-T2'], ['Tahap 1 Tahun 2025', '2025-T1'], ['triwulan  1', 'TRIWULAN 1'], ['', '2025-03']]);
    await check('tl_region(tl_trim(s))', [['32.01.01.2001', '3201012001'], [' 32 01 ', '3201'], ['', null]]);
    await check('tl_year(tl_trim(s))', [['2025', 2025], ['TA 2025', 2025], ['2025.0', 2025], ['x', null]]);
  });
});

describe('parse.sql as installed (constants folded)', () => {
  it('folds every chr() chain into one literal, and each macro gives what the written form gives', async () => {
    const { PARSE_SQL, PARSE_SQL_SOURCE, foldChrLiterals } = await import('../../src/engine/ingest/parse-macros');
    expect(PARSE_SQL_SOURCE).toMatch(/chr\(12288\)/);
    expect(PARSE_SQL).not.toMatch(/chr\(/);
    expect(foldChrLiterals(`x(' ' || chr(9) || 'it''s' || chr(160), 'a' || 'b')`)).toBe(`x(' \tit''s\u00a0', 'a' || 'b')`);
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const WS = [' ', '\t', '\n', '\u000b', '\f', '\r', '\u00a0', '\ufeff', '\u200b', '\u202f', '\u3000', '.', "'", ''];
    const inputs = ['', 'x', "'3201", ' 32.01 ', 'Rp 1.500,-', '(2.000)', 'IDR\u00a0300.000', ...WS.flatMap((a) => WS.map((b) => `${a}32${b}01${a}`))];
    const exprs = ['tl_trim(s)', 'tl_id(tl_trim(s))', 'tl_region(s)', 'tl_amount_clean0(s)', 'tl_amount_clean(s)'];
    const evaluate = async (sql: string) => {
      const db = await DuckDBInstance.create(':memory:');
      const conn = await db.connect();
      try {
        await conn.run(sql);
        const r = await conn.runAndReadAll(`SELECT ${exprs.map((e, i) => `${e} AS e${i}`).join(', ')} FROM (SELECT unnest(from_json($j::JSON, '["VARCHAR"]')) AS s, generate_subscripts(from_json($j::JSON, '["VARCHAR"]'), 1) AS i) ORDER BY i`, { j: JSON.stringify(inputs) });
        return r.getRowsJS();
      } finally { conn.closeSync(); db.closeSync(); }
    };
    const folded = await evaluate(PARSE_SQL);
    expect(folded).toHaveLength(inputs.length);
    expect(folded).toEqual(await evaluate(PARSE_SQL_SOURCE));
    expect(folded[inputs.indexOf('\u300032\u200b01\u3000')][0]).toBe('32\u200b01');
    expect(folded[inputs.indexOf('\t32\n01\t')][0]).toBe('32\n01');
    expect(folded[inputs.indexOf('IDR\u00a0300.000')][3]).toBe('300.000');
  });
});
