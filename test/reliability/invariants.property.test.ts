/**
 * Properties over random input (fast-check). The value parsers (dates, amounts, NIK normalisation) already have
 * property tests in test/ingest/parsers.test.ts; these cover what sits around them:
 *  - the streaming record splitter gives the same records whatever the chunk boundaries (a CRLF, a "" escape, a
 *    quoted newline or a surrogate pair cut in two);
 *  - importFile on random messy CSV either refuses with an ImportError or loads with
 *    rows_read = rows_loaded + rows_rejected, agreeing with import_log, rejects and the canonical table.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { RecordSplitter, type TextRecord } from '../../src/engine/ingest/text';
import { ImportError, importFile } from '../../src/engine/ingest';
import { Workspace } from '../../src/engine/workspace/workspace';
import { H, NIK1, NIK2 } from '../../scripts/make-bad-inputs';
import { tempDir } from './helpers';

function split(text: string, delim: string, cuts: number[]): TextRecord[] {
  const out: TextRecord[] = [];
  const s = new RecordSplitter(delim, (r) => out.push({ fields: [...r.fields], line: r.line, raw: r.raw }));
  let p = 0;
  for (const c of [...new Set(cuts.map((x) => x % (text.length + 1)))].sort((a, b) => a - b)) { s.push(text.slice(p, c)); p = c; }
  s.push(text.slice(p), true);
  return out;
}

const piece = fc.constantFrom('a', 'Budi', ' ', ',', ';', '\t', '"', '""', '\n', '\r\n', '\r', 'é', '😀', NIK1, '=1+1', '', '\0');
const messy = fc.array(piece, { maxLength: 120 }).map((a) => a.join(''));

describe('RecordSplitter (property)', () => {
  it('records do not depend on where the stream is cut', () => {
    fc.assert(fc.property(messy, fc.constantFrom(',', ';', '\t', '|'), fc.array(fc.nat(), { maxLength: 12 }), (text, d, cuts) => {
      expect(split(text, d, cuts)).toEqual(split(text, d, []));
    }), { numRuns: 400 });
  });

  it('every input character is accounted for: lines of the records never go backwards and start at 1', () => {
    fc.assert(fc.property(messy, (text) => {
      const recs = split(text, ',', []);
      let last = 0;
      for (const r of recs) { expect(r.line).toBeGreaterThan(last); last = r.line; }
      if (recs.length) expect(recs[0].line).toBe(1);
    }), { numRuns: 300 });
  });
});

describe('importFile on random messy CSV (property)', () => {
  let t: ReturnType<typeof tempDir>;
  let ws: Workspace;
  beforeAll(async () => {
    t = tempDir('telisik-prop-');
    ws = await Workspace.create(join(t.dir, 'w.duckdb'), { name: 'prop' });
  });
  afterAll(async () => { await ws?.close(); t?.remove(); });

  const field = fc.oneof(
    fc.constantFrom(NIK1, NIK2, `'${NIK1}`, '3.20101E+15', '', ' ', 'JUMLAH', 'Budi', '"Ani, S.Pd"', '"x""y"', 'BPNT', 'PKH', '200.000', 'Rp 200.000',
      '-5', '1e9', '15/01/2025', '2025-13-45', 'TERSALUR', 'GAGAL', '=HYPERLINK("x")', '\0', 'é', '"open'),
    fc.string({ maxLength: 8 }).filter((s) => !/[\n\r"]/.test(s)),
  );
  const row = fc.array(field, { minLength: 1, maxLength: 9 }).map((a) => a.join(','));
  const file = fc.tuple(fc.array(row, { maxLength: 3 }), fc.array(row, { maxLength: 40 }), fc.boolean())
    .map(([title, body, crlf]) => [...title, H, ...body].join(crlf ? '\r\n' : '\n') + (crlf ? '\r\n' : '\n'));

  it('refuses clearly or keeps rows_read = rows_loaded + rows_rejected everywhere', async () => {
    let n = 0;
    await fc.assert(fc.asyncProperty(file, async (content) => {
      const p = join(t.dir, `r${n++}.csv`);
      writeFileSync(p, content);
      let r;
      try {
        r = await importFile(ws, { kind: 'disbursements', path: p });
      } catch (e) {
        expect(e).toBeInstanceOf(ImportError);
        return;
      }
      expect(r.rows_read).toBe(r.rows_loaded + r.rows_rejected);
      const log = await ws.one<{ status: string; rows_read: number; rows_loaded: number; rows_rejected: number }>(
        'SELECT status, rows_read, rows_loaded, rows_rejected FROM import_log WHERE import_id = $id', { id: r.import_id });
      expect(log).toEqual({ status: 'completed', rows_read: r.rows_read, rows_loaded: r.rows_loaded, rows_rejected: r.rows_rejected });
      expect(Number(await ws.scalar('SELECT count(*) FROM rejects WHERE import_id = $id', { id: r.import_id }))).toBe(r.rows_rejected);
      expect(Number(await ws.scalar('SELECT count(*) FROM disbursements WHERE _import_id = $id', { id: r.import_id }))).toBe(r.rows_loaded);
      // every record after the header is either loaded or rejected: none silently skipped
      const lines = content.split(/\r?\n/).length - 1;
      expect(r.rows_read + r.quality.blank_lines + r.quality.title_lines_skipped + 1).toBeLessThanOrEqual(lines);
    }), { numRuns: 20 });
  });
});
