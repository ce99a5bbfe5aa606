import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Workspace } from '../../src/engine/workspace/workspace';

export interface TempWs { ws: Workspace; dir: string; close(): Promise<void> }

export async function tempWorkspace(): Promise<TempWs> {
  const dir = mkdtempSync(join(tmpdir(), 'telisik-checks-'));
  const ws = await Workspace.create(join(dir, 'ws.duckdb'), { name: 'test' });
  return { ws, dir, close: async () => { await ws.close(); rmSync(dir, { recursive: true, force: true }); } };
}

const IMPORT: Record<string, number> = { registry: 1, disbursements: 2, deaths: 3, civil_servants: 4, budget: 5 };

export interface Disb {
  line: number; nik: string; program?: string; amount?: number; period_key?: string | null; paid_date?: string | null;
  kk?: string | null; name?: string | null; region_code?: string | null; account?: string | null; status?: string | null;
  txn_id?: string | null; nik_damaged?: boolean; file?: string;
}

export async function insertDisb(ws: Workspace, rows: Disb[]): Promise<void> {
  for (const r of rows) {
    const imp = IMPORT.disbursements;
    await ws.run(`INSERT INTO disbursements (rec_id, _import_id, _file, _line, nik, nik_damaged, kk, name, region_code, program, program_raw,
        amount, period, period_key, paid_date, channel, account, status, status_raw, txn_id)
      VALUES ($rec, $imp, $file, $line, $nik, $dmg, $kk, $name, $region, $program, $program, $amount::DECIMAL(18,2), $period, $period,
        $paid::DATE, 'BANK', $account, $status, $status, $txn)`, {
      rec: imp * 10_000_000_000 + r.line, imp, file: r.file ?? 'salur.csv', line: r.line, nik: r.nik, dmg: r.nik_damaged ?? false,
      kk: r.kk ?? null, name: r.name ?? null, region: r.region_code ?? null, program: r.program ?? 'BPNT',
      amount: String(r.amount ?? 200000), period: r.period_key === undefined ? '2024-01' : r.period_key,
      paid: r.paid_date === undefined ? '2024-01-15' : r.paid_date, account: r.account ?? null,
      status: r.status === undefined ? 'PAID' : r.status, txn: r.txn_id ?? null,
    });
  }
}

export interface Reg {
  line: number; nik: string; kk?: string | null; name?: string | null; birth_date?: string | null; sex?: string | null;
  desil?: number | null; death_date?: string | null; region_code?: string | null; import_id?: number;
}

export async function insertReg(ws: Workspace, rows: Reg[]): Promise<void> {
  for (const r of rows) {
    const imp = r.import_id ?? IMPORT.registry;
    await ws.run(`INSERT INTO registry (rec_id, _import_id, _file, _line, nik, nik_damaged, kk, name, region_code, birth_date, sex, desil, death_date)
      VALUES ($rec, $imp, 'dtks.csv', $line, $nik, false, $kk, $name, $region, $bd::DATE, $sex, $desil::INTEGER, $dd::DATE)`, {
      rec: imp * 10_000_000_000 + r.line, imp, line: r.line, nik: r.nik, kk: r.kk ?? null, name: r.name ?? null,
      region: r.region_code ?? null, bd: r.birth_date ?? null, sex: r.sex ?? null, desil: r.desil ?? null, dd: r.death_date ?? null,
    });
  }
}

export async function insertDeaths(ws: Workspace, rows: { line: number; nik: string; death_date: string }[]): Promise<void> {
  for (const r of rows) {
    await ws.run(`INSERT INTO deaths (rec_id, _import_id, _file, _line, nik, nik_damaged, death_date) VALUES ($rec, 3, 'mati.csv', $line, $nik, false, $dd::DATE)`,
      { rec: 3 * 10_000_000_000 + r.line, line: r.line, nik: r.nik, dd: r.death_date });
  }
}

export async function insertCivil(ws: Workspace, rows: { line: number; nik: string; agency?: string }[]): Promise<void> {
  for (const r of rows) {
    await ws.run(`INSERT INTO civil_servants (rec_id, _import_id, _file, _line, nik, nik_damaged, agency, category) VALUES ($rec, 4, 'asn.csv', $line, $nik, false, $agency, 'ASN')`,
      { rec: 4 * 10_000_000_000 + r.line, line: r.line, nik: r.nik, agency: r.agency ?? 'Dinas X' });
  }
}

export async function insertBudget(ws: Workspace, rows: { line: number; program: string; allocation: number; realization: number | null; year?: number | null; region_code?: string | null }[]): Promise<void> {
  for (const r of rows) {
    await ws.run(`INSERT INTO budget (rec_id, _import_id, _file, _line, program, program_raw, allocation, realization, year, region_code)
      VALUES ($rec, 5, 'pagu.csv', $line, $p, $p, $a::DECIMAL(18,2), $re::DECIMAL(18,2), $y::INTEGER, $rc)`, {
      rec: 5 * 10_000_000_000 + r.line, line: r.line, p: r.program, a: String(r.allocation), re: r.realization == null ? null : String(r.realization),
      y: r.year ?? null, rc: r.region_code ?? null,
    });
  }
}

/** Lines (_line) of an exceptions table, sorted. */
export async function lines(ws: Workspace, checkId: string): Promise<number[]> {
  const rows = await ws.all<{ _line: number }>(`SELECT _line FROM "exc_${checkId}" ORDER BY _line`);
  return rows.map((r) => Number(r._line));
}
