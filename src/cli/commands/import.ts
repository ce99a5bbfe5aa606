import type { Command } from '../command';
import { InputError, UsageError, flag, flagList, parseArgs, requireFlag } from '../args';
import { resolve } from 'node:path';
import type { CallArgs } from '../../shared/contract';
import { cleanMessage } from '../../shared/masking';
import { KINDS, type ImportQuality, type ImportRecord, type Kind } from '../../shared/types';
import { CallFailed, withService, type ServiceClient } from '../service';

const KIND_ALIAS: Record<string, string> = { 'civil-servants': 'civil_servants' };
const fmt = (n: number) => n.toLocaleString('id-ID');

/** `--map kind.column=HEADER` (or `column=HEADER`) flags -> canonical column -> header for `kind`. */
export function parseMapFlags(values: string[], kind: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const m = /^(?:([a-z_-]+)\.)?([A-Za-z0-9_]+)=(.*)$/.exec(v);
    if (!m || m[3] === '') throw new UsageError(`--map expects kind.column=HEADER, got "${v}"`);
    const k = m[1] ? (KIND_ALIAS[m[1]] ?? m[1]) : kind;
    if (!(KINDS as readonly string[]).includes(k)) throw new UsageError(`--map: unknown kind "${m[1]}" (${KINDS.join(', ')})`);
    if (k === kind) out[m[2]] = m[3];
  }
  return out;
}

export function formatImport(r: ImportRecord): string {
  const q = r.quality as unknown as ImportQuality; // the import log keeps the engine's quality report as it was written
  const lines = [
    `${r.file}  [${r.kind} -> ${r.target_table}, import #${r.import_id}]`,
    `  format ${r.format}${r.encoding ? ', ' + r.encoding : ''}${r.delimiter ? `, delimiter ${JSON.stringify(r.delimiter)}` : ''}${r.sheet ? `, sheet "${r.sheet}"` : ''}${r.header_line ? `, header line ${r.header_line}` : ''}`,
    `  sha256 ${r.sha256}`,
    `  rows read ${fmt(r.rows_read)}, loaded ${fmt(r.rows_loaded)}, rejected ${fmt(r.rows_rejected)}` +
      `  (blank lines ${fmt(q.blank_lines)}, title lines ${fmt(q.title_lines_skipped)}, total rows ${fmt(q.total_rows)}, malformed ${fmt(q.malformed_rows)})`,
    `  mapping: ${Object.entries(r.mapping).map(([c, h]) => `${c}=${cleanMessage(h)}`).join(', ') || '-'}`,
  ];
  for (const [reason, n] of Object.entries(q.rejects_by_reason)) lines.push(`  rejected: ${fmt(n)} × ${reason}`);
  if (q.nik) {
    const by = Object.entries(q.nik.invalid_by_reason).map(([k, n]) => `${k} ${fmt(n)}`).join(', ');
    lines.push(`  NIK: ${fmt(q.nik.invalid)} structurally invalid${by ? ` (${by})` : ''}, ${fmt(q.nik.damaged)} damaged by spreadsheet, ${fmt(q.nik.unknown_region_prefix)} unknown region prefix`);
  }
  if (q.kk && q.kk.invalid) lines.push(`  KK: ${fmt(q.kk.invalid)} structurally invalid`);
  if (q.registry_duplicates) lines.push(`  registry duplicate NIKs: ${fmt(q.registry_duplicates.duplicate_niks)} (${fmt(q.registry_duplicates.duplicate_rows)} extra rows)`);
  const bad = Object.entries(q.columns).filter(([, c]) => c.mapped && c.unparseable > 0);
  if (bad.length) lines.push(`  unparseable (set to NULL): ${bad.map(([c, x]) => `${c} ${fmt(x.unparseable)}`).join(', ')}`);
  for (const w of r.warnings) lines.push(`  ! ${w}`);
  return lines.join('\n');
}

/**
 * One file through the app's import (the importFiles task: the duplicate refusal, the trail entry, the quality
 * report). A refused file is an input error (exit 3) naming the file, line and column where known.
 */
export async function importOne(c: ServiceClient, file: CallArgs<'importFiles'>['files'][number], allowDuplicate = false): Promise<ImportRecord[]> {
  try {
    return await c.task('importFiles', { files: [{ ...file, path: resolve(file.path) }], allow_duplicate: allowDuplicate || undefined });
  } catch (e) {
    if (e instanceof CallFailed && e.code === 'invalid_input') {
      const d = (e.params ?? {}) as { file?: string; line?: number; column?: string };
      const where = [d.line !== undefined ? `line ${d.line}` : '', d.column ? `column ${d.column}` : ''].filter(Boolean).join(', ');
      throw new InputError(`${e.message}${where && !e.message.includes(where) ? ` [${d.file}${where ? ', ' + where : ''}]` : ''}`);
    }
    throw e;
  }
}

export const importCommand: Command = {
  name: 'import',
  summary: 'Import extracts (CSV/TSV/TXT, XLSX, Parquet, JSON) into a workspace table',
  usage: 'telisik import --workspace W --kind KIND FILE… [--map kind.column=HEADER]… [--sheet NAME] [--profile NAME] [--save-profile NAME] [--table NAME] [--list NAME] [--allow-duplicate] [--json]\n'
    + '  A file whose SHA-256 was already imported into the same table is refused (exit 3, naming the earlier import)\n'
    + '  unless --allow-duplicate is given (recorded in the audit trail).',
  async run(argv) {
    const args = parseArgs(argv, ['json', 'allow-duplicate']);
    const wsPath = requireFlag(args, 'workspace');
    const allowDuplicate = flag(args, 'allow-duplicate') === 'true';
    const kindArg = requireFlag(args, 'kind');
    const kind = (KIND_ALIAS[kindArg] ?? kindArg) as Kind;
    if (!(KINDS as readonly string[]).includes(kind)) throw new UsageError(`--kind must be one of ${KINDS.join(', ')}`);
    const files = args.positionals;
    if (files.length === 0) throw new UsageError('at least one FILE is required');
    const map = parseMapFlags(flagList(args, 'map'), kind);
    const sheet = flag(args, 'sheet');
    const profile = flag(args, 'profile');
    const saveAs = flag(args, 'save-profile');
    const table = flag(args, 'table');
    const list = flag(args, 'list');
    if (list !== undefined && kind !== 'flags') throw new UsageError('--list applies to --kind flags only (the comparison-list name of a file without a list column)');
    const json = flag(args, 'json') === 'true';
    return withService(wsPath, async (c) => {
      const results: ImportRecord[] = [];
      for (const f of files) {
        const [r] = await importOne(c, { kind, path: f, map, sheet, profile, table, list }, allowDuplicate);
        results.push(r);
        if (!json) console.log(formatImport(r));
      }
      if (saveAs) {
        const merged = { ...(results[0]?.mapping ?? {}), ...map };
        await c.call('saveProfile', { name: saveAs, kind, mapping: merged });
        if (!json) console.log(`mapping profile "${saveAs}" saved (${kind}): ${Object.entries(merged).map(([c, h]) => `${c}=${h}`).join(', ')}`);
      }
      if (json) console.log(JSON.stringify(results, null, 2));
      return 0;
    }, { name: 'Telisik' });
  },
};
