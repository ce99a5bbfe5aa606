import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import type { Workspace } from '../workspace/workspace';

export interface TrailEntryInput {
  action: string;
  params?: unknown;
  inputs?: unknown;
  result?: unknown;
  actor?: string;
}

export interface TrailEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  params: string;
  inputs: string;
  result: string;
  prev_hash: string;
  hash: string;
}

const GENESIS = '0'.repeat(64);

/**
 * The chain alone cannot reveal a cut-off tail (delete the last entries and the rest still chains). appendTrail
 * therefore also writes the head (seq:hash) to meta; verifyTrail compares. Someone editing the file by hand can
 * rewrite both, which is why the CLI prints the head hash for the examiner to note in the working paper.
 */
const HEAD_KEY = 'trail_head';

const DDL = `CREATE TABLE IF NOT EXISTS audit_trail (
  seq INTEGER PRIMARY KEY, "at" VARCHAR, actor VARCHAR, action VARCHAR,
  params VARCHAR, inputs VARCHAR, result VARCHAR, prev_hash VARCHAR, hash VARCHAR)`;

/** Stable JSON: keys sorted, so the hash of an entry does not depend on property order. */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(v ?? null, (_k, val) => {
    if (typeof val === 'bigint') return val.toString();
    if (val && typeof val === 'object' && !Array.isArray(val)) {
      return Object.fromEntries(Object.keys(val).sort().map((k) => [k, (val as Record<string, unknown>)[k]]));
    }
    return val;
  });
}

function entryHash(e: Omit<TrailEntry, 'hash'>): string {
  const body = [e.seq, e.at, e.actor, e.action, e.params, e.inputs, e.result, e.prev_hash].join('\u001f');
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

export async function ensureTrail(ws: Workspace): Promise<void> {
  if (ws.readOnly) return; // an archived read-only copy: nothing may be created (the table is there since create)
  await ws.run(DDL);
}

/**
 * Appends one entry, hash-chained to the previous one. Call inside the same transaction as the action it records
 * when there is one, so the trail never claims an action that rolled back.
 */
export async function appendTrail(ws: Workspace, input: TrailEntryInput): Promise<TrailEntry> {
  await ensureTrail(ws);
  const last = await ws.one<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_trail ORDER BY seq DESC LIMIT 1');
  const e: Omit<TrailEntry, 'hash'> = {
    seq: last ? Number(last.seq) + 1 : 1,
    at: new Date().toISOString(),
    actor: input.actor ?? ws.actor(),
    action: input.action,
    params: canonicalJson(input.params ?? {}),
    inputs: canonicalJson(input.inputs ?? []),
    result: canonicalJson(input.result ?? {}),
    prev_hash: last ? last.hash : GENESIS,
  };
  const entry: TrailEntry = { ...e, hash: entryHash(e) };
  await ws.run('INSERT INTO audit_trail VALUES ($seq, $at, $actor, $action, $params, $inputs, $result, $prev_hash, $hash)', { ...entry });
  await ws.run(`INSERT OR REPLACE INTO meta VALUES ($k, $v)`, { k: HEAD_KEY, v: `${entry.seq}:${entry.hash}` });
  return entry;
}

export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

export interface TrailVerification {
  ok: boolean;
  entries: number;
  head: string;
  breaks: { seq: number; problem: string }[];
  sources: { import_id: number; file: string; path: string; status: 'ok' | 'changed' | 'missing'; expected: string; actual?: string }[];
}

/** Recomputes the hash chain and the SHA-256 of every imported source file still on disk. */
export async function verifyTrail(ws: Workspace, opts: { checkSources?: boolean } = {}): Promise<TrailVerification> {
  await ensureTrail(ws);
  const rows = await ws.all<TrailEntry>('SELECT * FROM audit_trail ORDER BY seq');
  const breaks: TrailVerification['breaks'] = [];
  let prev = GENESIS;
  let expectedSeq = 1;
  for (const r of rows) {
    const seq = Number(r.seq);
    if (seq !== expectedSeq) breaks.push({ seq, problem: `sequence gap: expected ${expectedSeq}` });
    if (r.prev_hash !== prev) breaks.push({ seq, problem: 'prev_hash does not match the previous entry' });
    const recomputed = entryHash({ ...r, seq });
    if (recomputed !== r.hash) breaks.push({ seq, problem: 'entry was modified (hash mismatch)' });
    prev = r.hash;
    expectedSeq = seq + 1;
  }
  const anchor = await ws.scalar<string | undefined>(`SELECT value FROM meta WHERE key = $k`, { k: HEAD_KEY }).catch(() => undefined);
  if (anchor) {
    const [aSeq, aHash] = anchor.split(':');
    const at = rows.find((r) => Number(r.seq) === Number(aSeq));
    if (!at) breaks.push({ seq: Number(aSeq), problem: `entries missing: the recorded head is entry ${aSeq} but the trail ends at ${rows.length ? rows[rows.length - 1].seq : 0}` });
    else if (at.hash !== aHash) breaks.push({ seq: Number(aSeq), problem: 'the recorded head hash does not match entry ' + aSeq });
    const after = rows.filter((r) => Number(r.seq) > Number(aSeq));
    if (after.length) breaks.push({ seq: Number(after[0].seq), problem: `${after.length} entries after the recorded head (not written by appendTrail)` });
  } else if (rows.length) {
    breaks.push({ seq: Number(rows[rows.length - 1].seq), problem: 'the recorded head (meta.trail_head) is missing' });
  }
  const sources: TrailVerification['sources'] = [];
  if (opts.checkSources !== false) {
    const imports = await ws.all<{ import_id: number; file: string; path: string; sha256: string }>(
      `SELECT import_id, file, path, sha256 FROM import_log WHERE status = 'completed' ORDER BY import_id`);
    for (const i of imports) {
      if (!i.path || !existsSync(i.path)) { sources.push({ ...i, status: 'missing', expected: i.sha256 }); continue; }
      const actual = await sha256File(i.path);
      sources.push({ import_id: i.import_id, file: i.file, path: i.path, expected: i.sha256, actual, status: actual === i.sha256 ? 'ok' : 'changed' });
    }
  }
  return {
    ok: breaks.length === 0 && !sources.some((s) => s.status === 'changed'),
    entries: rows.length,
    head: prev,
    breaks,
    sources,
  };
}
