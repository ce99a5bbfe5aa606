/**
 * Receipts (issue 14.6): a chain rewritten end to end (every hash recomputed) still verifies from inside the file.
 * What gives it away is a head handed out earlier — printed on every workbook's trail sheet and in the summary JSON
 * (`trail_head`). `telisik verify --receipt FILE` reads that head and proves it is an entry of the current chain.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { excel } from '../exceljs';
import type { Workspace } from '../workspace/workspace';
import { InvalidInputError } from '../../shared/errors';

export type { ReceiptHead, ReceiptCheck } from '../../shared/types';
import type { ReceiptHead, ReceiptCheck } from '../../shared/types';

export class ReceiptError extends InvalidInputError {}

/** Label of the head on the workbook trail sheet (common.ts writes it). */
export const HEAD_LABEL = 'Hash akhir rantai';
export const HEAD_SEQ_LABEL = 'Entri terakhir';

function fromValue(v: unknown, source: string): ReceiptHead {
  if (typeof v === 'string') {
    const m = /^(?:(\d+):)?([0-9a-f]{64})$/.exec(v.trim());
    if (m) return { seq: m[1] ? Number(m[1]) : null, hash: m[2], source };
  } else if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.hash === 'string' && /^[0-9a-f]{64}$/.test(o.hash)) return { seq: o.seq == null ? null : Number(o.seq), hash: o.hash, source };
  }
  throw new ReceiptError(`${source}: trail_head is not a chain head ("seq:hash" or {seq, hash} with a 64-character SHA-256)`);
}

export async function readReceipt(path: string): Promise<ReceiptHead> {
  const ext = extname(path).toLowerCase();
  if (ext === '.json') {
    let j: unknown;
    try { j = JSON.parse(readFileSync(path, 'utf8')); } catch (e) { throw new ReceiptError(`${path}: not JSON (${(e as Error).message})`); }
    const head = (j as Record<string, unknown> | null)?.trail_head;
    if (head === undefined) throw new ReceiptError(`${path}: no trail_head key (a summary written by telisik audit --summary carries one)`);
    return fromValue(head, path);
  }
  if (ext === '.xlsx') {
    const wb = new (excel().Workbook)();
    try { await wb.xlsx.readFile(path); } catch (e) { throw new ReceiptError(`${path}: not a readable workbook (${(e as Error).message})`); }
    let hash: string | undefined;
    let seq: number | null = null;
    for (const s of wb.worksheets) {
      s.eachRow((row) => {
        const label = String(row.getCell(1).value ?? '').trim();
        const value = String(row.getCell(2).value ?? '').trim();
        if (label === HEAD_LABEL && /^[0-9a-f]{64}$/.test(value) && !hash) hash = value;
        if (label === HEAD_SEQ_LABEL && /^\d+$/.test(value) && seq === null) seq = Number(value);
      });
      if (hash) break;
    }
    if (!hash) throw new ReceiptError(`${path}: no "${HEAD_LABEL}" on any sheet (every Telisik workbook's trail sheet has one)`);
    return { seq, hash, source: path };
  }
  throw new ReceiptError(`${path}: a receipt is a Telisik workbook (.xlsx) or summary (.json)`);
}


/** Is the receipt's head an entry of this chain (at its seq, when the receipt names one)? */
export async function checkReceipt(ws: Workspace, r: ReceiptHead): Promise<ReceiptCheck> {
  const total = Number(await ws.scalar('SELECT count(*) FROM audit_trail').catch(() => 0));
  const at = await ws.one<{ seq: number }>('SELECT seq FROM audit_trail WHERE hash = $h ORDER BY seq LIMIT 1', { h: r.hash }).catch(() => undefined);
  if (at && (r.seq === null || Number(at.seq) === r.seq)) {
    const since = total - Number(at.seq);
    return { ok: true, seq: Number(at.seq), entries_since: since, message: `receipt head ${r.hash.slice(0, 16)}… is entry ${at.seq} of ${total} (${since} entries since)` };
  }
  if (r.seq !== null) {
    const there = await ws.one<{ hash: string }>('SELECT hash FROM audit_trail WHERE seq = $s', { s: r.seq }).catch(() => undefined);
    if (there) {
      return { ok: false, seq: r.seq, entries_since: null, message: `entry ${r.seq} has hash ${there.hash.slice(0, 16)}…, the receipt ${r.hash.slice(0, 16)}…: the chain was rewritten after the receipt was issued` };
    }
  }
  return { ok: false, seq: r.seq, entries_since: null, message: `receipt head ${r.hash.slice(0, 16)}…${r.seq !== null ? ` (entry ${r.seq})` : ''} is not in this chain (${total} entries): the chain was rewritten or cut, or the receipt belongs to another engagement` };
}
