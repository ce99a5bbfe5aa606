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
  const f = (n: string) => sqlString(join(dir, `${n}.csv`));
  const opts = `header = true, all_varchar = true`;
  await ws.run(`INSERT INTO ref_regions
    SELECT replace(code, '.', ''), 'province', name, NULL FROM read_csv(${f('provinces')}, ${opts})
    UNION ALL SELECT replace(code, '.', ''), 'regency', name, replace(province_code, '.', '') FROM read_csv(${f('regencies')}, ${opts})
    UNION ALL SELECT replace(code, '.', ''), 'district', name, replace(regency_code, '.', '') FROM read_csv(${f('districts')}, ${opts})
    UNION ALL SELECT replace(code, '.', ''), 'village', name, replace(district_code, '.', '') FROM read_csv(${f('villages')}, ${opts})
    ON CONFLICT DO NOTHING`);
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
