// Issue 13 item 2: engine errors are rendered in the UI's language. The whole bad-input corpus goes through the real
// service (previewFile, then importFiles): every refusal, rendered for the Indonesian UI, carries no English sentence
// of the engine's or DuckDB's, and rendered for the English UI no Indonesian one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeBadInputs, type BadCase } from '../../scripts/make-bad-inputs';
import { createEngineService, type EngineService } from '../../src/engine/service';
import type { AnyEvent, FailedEvent } from '../../src/shared/contract';
import type { AppError, Result } from '../../src/shared/result';
import { translator } from '../../src/renderer/i18n';
import { errorMessage, oneLanguage } from '../../src/renderer/i18n/labels';

const ENGLISH = /\b(expected|found|not found|error|cannot|could not|invalid|file has|empty file|unreadable|table not|unknown|refused|required column)\b/i;
const INDONESIAN = /\b(berkas|kolom|tidak|baris|kosong|ditemukan|sandi|lembar|simpan)\b/i;

let dir: string;
let svc: EngineService;
let cases: BadCase[] = [];
const events: AnyEvent[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'telisik-msglang-'));
  cases = await makeBadInputs(dir);
  svc = createEngineService({ dataDir: join(dir, 'data'), mode: 'web', version: 'test' });
  svc.onEvent((e) => events.push(e));
  await svc.invoke('createWorkspace', { path: join(dir, 'w.duckdb'), name: 'bahasa' });
}, 120_000);
afterAll(async () => { await svc?.close(); rmSync(dir, { recursive: true, force: true }); });

async function refusal(c: BadCase): Promise<AppError | null> {
  const p = (await svc.invoke('previewFile', { path: join(dir, c.file), kind: c.kind })) as Result<unknown>;
  if (!p.ok) return p.error;
  const r = (await svc.invoke('importFiles', { files: [{ path: join(dir, c.file), kind: c.kind }] })) as Result<{ task_id: string }>;
  if (!r.ok) return r.error;
  for (let i = 0; i < 2400; i++) {
    const e = events.find((x) => (x.event === 'completed' || x.event === 'failed') && x.data.task_id === r.value.task_id);
    if (e) return e.event === 'failed' ? (e.data as FailedEvent).error : null;
    await new Promise((res) => setTimeout(res, 25));
  }
  throw new Error(`${c.file}: import did not settle`);
}

describe('engine messages in the UI language', () => {
  it('the bad-input corpus: no English in the Indonesian UI, no Indonesian in the English UI', async () => {
    let refused = 0;
    const bad: string[] = [];
    const id = translator('id');
    const en = translator('en');
    for (const c of cases) {
      const err = await refusal(c);
      if (!err) continue;
      refused++;
      const shownId = errorMessage(err, id, 'id');
      const shownEn = errorMessage(err, en, 'en');
      if (ENGLISH.test(shownId)) bad.push(`id ${c.file}: ${shownId}`);
      if (INDONESIAN.test(shownEn)) bad.push(`en ${c.file}: ${shownEn}`);
    }
    expect(bad).toEqual([]);
    expect(refused).toBeGreaterThan(3);
  }, 300_000);

  it('DuckDB and workspace messages are mapped from their parameters', () => {
    const id = translator('id');
    const en = translator('en');
    const e1 = { code: 'invalid_input' as const, message: 'Invalid Input Error: CSV Error on Line: 3 — expected 1 fields, found 2' };
    expect(errorMessage(e1, id, 'id')).toBe('Jumlah kolom tidak konsisten: diharapkan 1 kolom, ditemukan 2. Periksa pemisah kolom (; atau ,) dan tanda kutip di berkas.');
    expect(errorMessage(e1, en, 'en')).toMatch(/^Inconsistent number of columns: expected 1, found 2/);
    const e2 = { code: 'invalid_input' as const, message: 'Cannot open workspace /x/w.duckdb: IO Error: Could not set lock on file' };
    expect(errorMessage(e2, id, 'id')).toMatch(/^Berkas penugasan tidak dapat dibuka/);
    const e3 = { code: 'invalid_input' as const, message: 'Kueri', details: { reason: 'sql_not_select' } };
    expect(errorMessage(e3, en, 'en')).toMatch(/^Only a SELECT/);
    expect(oneLanguage('Berkas x.csv kosong (empty file)', 'id')).toBe('Berkas x.csv kosong');
    expect(oneLanguage('Berkas x.csv kosong (empty file)', 'en')).toBe('Empty file');
  });
});
