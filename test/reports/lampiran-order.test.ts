// The lampiran (exception list) sheets of the BPK workbook list records in rec_id order — with reviews joined
// (sorted by the query) and without (a plain scan of the exc_ table, which runChecks writes ORDER BY rec_id).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ExcelJS from 'exceljs';
import { Workspace } from '../../src/engine/workspace/workspace';
import { importFile, type Kind } from '../../src/engine/ingest';
import { runChecks } from '../../src/engine/checks';
import { writeReport } from '../../src/engine/reports';
import { reviewExceptions } from '../../src/engine/findings/reviews';
import { generateDemo } from '../../src/engine/demo/generate';

let dir: string;
let ws: Workspace;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'telisik-lampiran-'));
  const demo = await generateDemo({ outDir: join(dir, 'demo'), households: 1500, seed: 11, truth: false });
  ws = await Workspace.create(join(dir, 'w.duckdb'), { name: 'order' });
  for (const f of demo.files) await importFile(ws, { kind: f.kind as Kind, path: f.path });
  await runChecks(ws);
});
afterAll(async () => { await ws?.close(); rmSync(dir, { recursive: true, force: true }); });

async function lampiranIds(out: string): Promise<Map<string, string[]>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(out);
  const bySheet = new Map<string, string[]>();
  for (const sheet of wb.worksheets) {
    if (!/^L\d\d /.test(sheet.name)) continue;
    const h = (sheet.views[0] as { ySplit?: number } | undefined)?.ySplit ?? 1;
    let col = 0;
    sheet.getRow(h).eachCell((c, i) => { if (String(c.value) === 'ID Rekaman') col = i; });
    expect({ sheet: sheet.name, col: col > 0 }).toEqual({ sheet: sheet.name, col: true });
    const ids: string[] = [];
    for (let r = h + 1; r <= sheet.rowCount; r++) { const v = sheet.getRow(r).getCell(col).value; if (v != null && /^\d+$/.test(String(v))) ids.push(String(v)); }
    bySheet.set(sheet.name, ids);
  }
  return bySheet;
}

const ascending = (ids: string[]) => ids.every((v, i) => i === 0 || BigInt(ids[i - 1]) <= BigInt(v));

describe('lampiran order', () => {
  it('without reviews and with a review joined, every exception sheet is in rec_id order', async () => {
    const before = await lampiranIds((await writeReport(ws, { kind: 'bpk', out: join(dir, 'a.xlsx') })).path);
    expect(before.size).toBeGreaterThan(3);
    for (const [sheet, ids] of before) expect({ sheet, ascending: ascending(ids) }).toEqual({ sheet, ascending: true });
    const big = [...before.entries()].sort((x, y) => y[1].length - x[1].length)[0];
    expect(big[1].length).toBeGreaterThan(50);
    const check = (await ws.all<{ check_id: string; n: number }>(`SELECT check_id, count(*) AS n FROM check_results WHERE evaluated AND records > 50 GROUP BY 1 ORDER BY 1 LIMIT 1`))[0].check_id;
    const recs = (await ws.all<{ rec_id: number }>(`SELECT rec_id FROM ${'exc_' + check} ORDER BY rec_id DESC LIMIT 3`)).map((r) => r.rec_id);
    await reviewExceptions(ws, { check_id: check, rec_ids: recs, status: 'confirmed', note: 'dicek', reviewer: 'auditor' });
    const after = await lampiranIds((await writeReport(ws, { kind: 'bpk', out: join(dir, 'b.xlsx') })).path);
    for (const [sheet, ids] of after) expect({ sheet, ascending: ascending(ids), n: ids.length }).toEqual({ sheet, ascending: true, n: before.get(sheet)!.length });
  });
});
