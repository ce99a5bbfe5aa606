/**
 * The one output-path policy for every file Telisik writes (service exportTable, writeReport incl. field samples,
 * the CLI's `report --out`, `audit --out/--summary`). Issue 14: an export named like an engagement replaced the
 * engagement with CSV/xlsx and deleted its WAL. A path is refused when it
 *  - has another extension than the writer's (`.csv` for CSV, `.xlsx` for workbooks, `.json` for a summary);
 *  - is, or would replace, a workspace (any DuckDB database file, by its header), the open workspace, its `.wal` or
 *    its `.tmp` spill folder (compared by file identity: device + inode, so hard links and other paths count);
 *  - is a source file of the engagement (import_log paths), by identity too;
 *  - is a directory, or its folder is missing and cannot be created;
 *  - lies outside the allowed folders (the engagement's folder and the app's data folder) — unless the caller
 *    confirmed it (`confirm_outside` / the CLI, where the user typed the path).
 * Writers then write `out.tmp` and rename it (writeAtomic here for small files).
 */
import { closeSync, existsSync, mkdirSync, openSync, readSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve, sep } from 'node:path';
import type { Workspace } from './workspace/workspace';
import { TelisikError } from '../shared/errors';

/** An output path refused by the policy (`output_invalid`) or needing the user's confirmation (`output_outside`). */
export class OutputPathError extends TelisikError {
  constructor(kind: 'invalid_output' | 'confirm_required', message: string) {
    super(kind === 'confirm_required' ? 'confirm_required' : 'invalid_input', message, { reason: kind === 'confirm_required' ? 'output_outside' : 'output_invalid' });
  }
}

export interface OutputPolicy {
  /** The writer's extension, with the dot: '.csv', '.xlsx', '.json'. */
  ext: string;
  /** Workspace files to protect (the open one; its .wal and .tmp are protected with it). */
  workspaces?: string[];
  /** Source files of the engagement (import_log.path). */
  sources?: string[];
  /** Folders a path may be in without confirmation; absent = anywhere. */
  allowedRoots?: string[];
  /** The user confirmed a path outside allowedRoots. */
  confirmOutside?: boolean;
}

interface Identity { dev: number; ino: number }

function identity(p: string): Identity | null {
  try {
    const s = statSync(p);
    return { dev: s.dev, ino: s.ino };
  } catch { return null; }
}

const same = (a: Identity | null, b: Identity | null) => !!a && !!b && a.dev === b.dev && a.ino === b.ino;

/** The real path of a file that may not exist yet (its folder resolved). */
function realish(p: string): string {
  try { return realpathSync(p); } catch { /* not there yet */ }
  try { return join(realpathSync(dirname(p)), basename(p)); } catch { return p; }
}

/** DuckDB database files carry "DUCK" at byte 8. */
export function isDuckDbFile(p: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(p, 'r');
    const b = Buffer.alloc(12);
    const n = readSync(fd, b, 0, 12, 0);
    return n >= 12 && b.toString('latin1', 8, 12) === 'DUCK';
  } catch { return false; } finally { if (fd !== undefined) closeSync(fd); }
}

const within = (p: string, root: string) => p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);

/** Checks `out` against the policy; returns the absolute path to write. Throws OutputPathError. */
export function checkOutputPath(out: string, policy: OutputPolicy): string {
  const abs = resolve(out);
  const ext = extname(abs).toLowerCase();
  if (ext !== policy.ext.toLowerCase()) {
    throw new OutputPathError('invalid_output', `Berkas keluaran harus berakhiran ${policy.ext}: ${abs} (output must be a ${policy.ext} file)`);
  }
  const real = realish(abs);
  const existing = identity(real);
  if (existing && statSync(real).isDirectory()) throw new OutputPathError('invalid_output', `Berkas keluaran adalah folder: ${abs} (output is a folder)`);
  // Never a workspace, its WAL or its spill folder — by identity, whatever path names them.
  for (const w of policy.workspaces ?? []) {
    const wa = resolve(w);
    for (const p of [wa, `${wa}.wal`, `${wa}.tmp`]) {
      if (realish(p) === real || same(existing, identity(p))) {
        throw new OutputPathError('invalid_output', `Berkas keluaran akan menimpa penugasan (workspace) ${basename(p)} — pilih nama lain (output would overwrite the engagement or its WAL/temp files)`);
      }
    }
  }
  if (existing && isDuckDbFile(real)) {
    throw new OutputPathError('invalid_output', `Berkas keluaran ${abs} adalah basis data penugasan (a DuckDB workspace) — pilih nama lain (output would overwrite an engagement)`);
  }
  for (const s of policy.sources ?? []) {
    if (realish(resolve(s)) === real || same(existing, identity(s))) {
      throw new OutputPathError('invalid_output', `Berkas keluaran akan menimpa berkas sumber penugasan ${basename(s)} — pilih nama lain (output would overwrite a source file of the engagement)`);
    }
  }
  if (policy.allowedRoots && !policy.confirmOutside) {
    const roots = policy.allowedRoots.map((r) => realish(resolve(r)));
    if (!roots.some((r) => within(real, r))) {
      throw new OutputPathError('confirm_required', `Berkas keluaran di luar folder penugasan (${roots.join(', ')}): ${abs} — konfirmasi dahulu (output outside the engagement folder: confirm first)`);
    }
  }
  return abs;
}

/** Creates the output's folder (owner-only) after the policy accepted it. */
export function prepareOutputDir(abs: string): void {
  const d = dirname(abs);
  if (!existsSync(d)) mkdirSync(d, { recursive: true, mode: 0o700 });
}

/** Small files (a summary JSON): written to `out.tmp`, renamed when complete; the tmp is removed on failure. */
export function writeAtomic(abs: string, data: string | Uint8Array): void {
  const tmp = `${abs}.tmp`;
  try {
    writeFileSync(tmp, data, { mode: 0o600 });
    renameSync(tmp, abs);
  } catch (e) {
    try { unlinkSync(tmp); } catch { /* not created */ }
    throw e;
  }
}

/**
 * The policy for a file written from an engagement: protects the workspace (and its WAL/temp) and every source
 * file in its import_log; `extra` adds the allowed folders and the confirmation (service) — the CLI passes none.
 */
export async function engagementPolicy(ws: Pick<Workspace, 'path' | 'all' | 'tableExists'>, ext: string, extra: Pick<OutputPolicy, 'allowedRoots' | 'confirmOutside'> = {}): Promise<OutputPolicy> {
  const sources = (await ws.tableExists('import_log'))
    ? (await ws.all<{ path: string }>(`SELECT DISTINCT path FROM import_log WHERE path IS NOT NULL`)).map((r) => r.path)
    : [];
  return { ext, workspaces: [ws.path], sources, ...extra };
}
