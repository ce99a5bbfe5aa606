/**
 * Region reference data (Kepmendagri 300.2.2-2138/2025 as amended, via the npm package idn-area-data, ODbL):
 * loaded once per workspace into ref_regions(code without dots, level, name, parent) with DuckDB's read_csv.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Workspace } from '../workspace/workspace';

export function regionDataDir(): string {
  try {
    const req = createRequire(join(__dirname, 'regions.js'));
    const dir = join(dirname(req.resolve('idn-area-data/package.json')), 'data');
    if (existsSync(dir)) return dir;
  } catch { /* fall through */ }
  return join(__dirname, '..', '..', '..', 'node_modules', 'idn-area-data', 'data');
}

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Loads ref_regions if empty. Returns the number of region rows. Safe to call before every import. */
export async function ensureRegions(ws: Workspace): Promise<number> {
  const have = Number(await ws.scalar<number>('SELECT count(*) FROM ref_regions'));
  if (have > 0) return have;
  const dir = regionDataDir();
  // The package's four files, read with their layout given (no sniffing) into the empty table; their codes are unique
  // (91,599 rows), so no ON CONFLICT check per row: 0.4 → 0.3 s of CPU for every new workspace's first import.
  const csv = (n: string, cols: string[]) => `read_csv(${sqlString(join(dir, `${n}.csv`))}, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', columns = {${cols.map((c) => `'${c}': 'VARCHAR'`).join(', ')}})`;
  await ws.run(`INSERT INTO ref_regions
    SELECT replace(code, '.', ''), 'province', name, NULL FROM ${csv('provinces', ['code', 'name'])}
    UNION ALL SELECT replace(code, '.', ''), 'regency', name, replace(province_code, '.', '') FROM ${csv('regencies', ['code', 'province_code', 'name'])}
    UNION ALL SELECT replace(code, '.', ''), 'district', name, replace(regency_code, '.', '') FROM ${csv('districts', ['code', 'regency_code', 'name'])}
    UNION ALL SELECT replace(code, '.', ''), 'village', name, replace(district_code, '.', '') FROM ${csv('villages', ['code', 'district_code', 'name'])}`);
  return Number(await ws.scalar<number>('SELECT count(*) FROM ref_regions'));
}

/** Name of a region code (dots/spaces ignored), or undefined. */
export async function regionName(ws: Workspace, code: string): Promise<{ code: string; level: string; name: string } | undefined> {
  await ensureRegions(ws);
  return ws.one(`SELECT code, level, name FROM ref_regions WHERE code = regexp_replace($c, '[.\\s]', '', 'g')`, { c: code });
}

/**
 * SQL expression: the name of the region whose code is `expr` (dots, spaces and any non-digit ignored; any level —
 * province 2 digits, kab/kota 4, kecamatan 6, desa 10), or NULL. Used by the workbooks and the Pengawasan screen.
 * `expr` must not be a bare column named like a ref_regions column (code, level, name, parent): inside the subquery
 * that name would mean ref_regions' own column.
 */
export function regionNameSql(expr: string): string {
  return `(SELECT name FROM ref_regions rr WHERE rr.code = regexp_replace(coalesce(${expr}, ''), '[^0-9]', '', 'g') LIMIT 1)`;
}
