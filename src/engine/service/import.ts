/**
 * Import calls: kinds, file preview, the import task, the import log and its rejects, mapping profiles.
 */
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { ServiceError } from '../../shared/result';
import { maskDeep, maskText } from '../../shared/masking';
import type * as T from '../../shared/types';
import { num, parseJson, type HandlersOf, type ServiceCore } from './core';
import { modules } from './modules';
import { assertNotBinary, previewFile } from './preview';

export type ImportCalls = 'importKinds' | 'previewFile' | 'importFiles' | 'listImports' | 'removeImport' | 'rejectsPage' | 'listProfiles' | 'saveProfile' | 'deleteProfile';

export function importHandlers(svc: ServiceCore): HandlersOf<ImportCalls> {
  return {
    importKinds: async () => {
      const specs = modules.ingest().KIND_SPECS as Record<string, { kind: T.Kind; columns: { name: string; type: string; required?: boolean; synonyms: Set<string> }[] }>;
      const out: T.KindSpec[] = Object.values(specs).map((k) => ({
        kind: k.kind, label_id: KIND_LABELS[k.kind]?.id ?? k.kind, label_en: KIND_LABELS[k.kind]?.en ?? k.kind,
        columns: k.columns.map((c) => ({ name: c.name, required: !!c.required, type: c.type, headers: [...c.synonyms] })),
      }));
      out.push({ kind: 'other', label_id: KIND_LABELS.other.id, label_en: KIND_LABELS.other.en, columns: [] });
      return out;
    },
    previewFile: async (a) => {
      const p = resolve(a.path);
      if (!existsSync(p)) throw new ServiceError('not_found', `Berkas tidak ditemukan: ${p}`);
      await assertNotBinary(p);
      const pv = await previewFile({ path: p, kind: a.kind, sheet: a.sheet, rows: a.rows ?? 20 });
      if (svc.state.prefs().masking_default) pv.rows = pv.rows.map((r) => r.map(maskText));
      return pv;
    },
    importFiles: async (a) => {
      const ws = svc.need();
      const ingest = modules.ingest();
      for (const f of a.files) if (!existsSync(resolve(f.path))) throw new ServiceError('not_found', `Berkas tidak ditemukan: ${f.path}`);
      for (const f of a.files) await assertNotBinary(resolve(f.path));
      // Duplicate imports (same SHA-256 into the same table) are refused before the task starts, naming the
      // earlier import (code confirm_required, details.earlier); the wizard asks and sends allow_duplicate.
      if (!a.allow_duplicate) {
        for (const f of a.files) {
          const earlier = await ingest.duplicateOf(svc.reader(), resolve(f.path), f.kind, f.table, f.sheet);
          if (earlier) throw new ingest.DuplicateImportError(basename(f.path), earlier);
        }
      }
      return svc.startTask('import', 'importFiles', `Impor ${a.files.length} berkas`, async (ctx) => {
        const out: T.ImportRecord[] = [];
        let i = 0;
        for (const f of a.files) {
          i++;
          const label = basename(f.path);
          const r = await ingest.importFile(ws, {
            kind: f.kind, path: resolve(f.path), map: f.map, profile: f.profile, sheet: f.sheet, table: f.table, list: f.list, signal: ctx.signal,
            allowDuplicate: !!a.allow_duplicate,
            onProgress: (p: { phase: string; rows: number; bytes: number; totalBytes: number }) =>
              ctx.progress({ phase: `${label}: ${p.phase}`, done: p.totalBytes ? p.bytes : p.rows, total: p.totalBytes || 0, rows: p.rows, message: `${i}/${a.files.length}` }),
          });
          out.push(...(await importRecords(svc, num(r.import_id))).map((x) => ({ ...x, header_line: r.header_line ?? null })));
        }
        svc.emit('workspace', { info: await svc.info() });
        return out;
      });
    },
    listImports: async () => (await importRecords(svc, )).filter((x) => x.status !== 'removed'),
    removeImport: async (a) => { return svc.tasks.exclusive(async () => {
      const ws = svc.need();
      const res = await modules.remove().removeImport(ws, a.import_id, a.reason, { actor: svc.state.prefs().reviewer || undefined });
      svc.emit('workspace', { info: await svc.info() });
      return res;
    }); },
    rejectsPage: async (a) => {
      const r = svc.reader();
      const total = num(await r.scalar('SELECT count(*) FROM rejects WHERE import_id = $i', { i: a.import_id }));
      const rows = await r.all<T.RejectRow>(
        `SELECT import_id, file, line, reason, column_name, raw_text FROM rejects WHERE import_id = $i ORDER BY line LIMIT ${a.limit} OFFSET ${a.offset}`, { i: a.import_id });
      const masked = svc.state.prefs().masking_default;
      return { offset: a.offset, total, rows: rows.map((x) => ({ ...x, import_id: num(x.import_id), line: num(x.line), raw_text: masked && x.raw_text ? maskText(x.raw_text) : x.raw_text })) };
    },
    listProfiles: async (a) => {
      const r = svc.reader();
      const rows = await r.all<{ name: string; kind: T.Kind; mapping: unknown; saved_at: string | null }>(
        `SELECT name, kind, mapping::VARCHAR AS mapping, CAST(saved_at AS VARCHAR) AS saved_at FROM mapping_profiles ${a.kind ? 'WHERE kind = $k' : ''} ORDER BY name`,
        a.kind ? { k: a.kind } : undefined);
      return rows.map((x) => ({ name: x.name, kind: x.kind, mapping: (parseJson(x.mapping) ?? {}) as Record<string, string>, saved_at: x.saved_at }));
    },
    saveProfile: async (a) => { return svc.tasks.exclusive(async () => {
      const ws = svc.need();
      await ws.run(`INSERT OR REPLACE INTO mapping_profiles VALUES ($n, $k, $m::JSON, now()::TIMESTAMP)`, { n: a.name, k: a.kind, m: JSON.stringify(a.mapping) });
      await svc.trail('profile.save', { name: a.name, kind: a.kind, mapping: a.mapping });
      return { name: a.name, kind: a.kind, mapping: a.mapping, saved_at: new Date().toISOString() };
    }); },
    deleteProfile: async (a) => { return svc.tasks.exclusive(async () => {
      const ws = svc.need();
      const n = num(await ws.scalar('SELECT count(*) FROM mapping_profiles WHERE name = $n', { n: a.name }));
      if (n) { await ws.run('DELETE FROM mapping_profiles WHERE name = $n', { n: a.name }); await svc.trail('profile.delete', { name: a.name }); }
      return { deleted: n > 0 };
    }); },
  };
}

const KIND_LABELS: Record<string, { id: string; en: string }> = {
  registry: { id: 'Registri (DTKS/DTSEN)', en: 'Registry (DTKS/DTSEN)' },
  disbursements: { id: 'Penyaluran', en: 'Disbursements' },
  budget: { id: 'Anggaran (pagu/realisasi)', en: 'Budget (allocation/realisation)' },
  deaths: { id: 'Data kematian (Dukcapil)', en: 'Deaths (Dukcapil)' },
  civil_servants: { id: 'ASN/TNI/Polri', en: 'Civil servants' },
  complaints: { id: 'Pengaduan', en: 'Complaints' },
  flags: { id: 'Daftar pembanding (mis. pekerja di atas UMR, pemilik kendaraan)', en: 'Comparison lists (e.g. wage earners, vehicle owners)' },
  other: { id: 'Lainnya (data sektoral)', en: 'Other (sectoral data)' },
};

/** The import log as the contract's records; quality reports masked like every other screen. */
async function importRecords(svc: ServiceCore, importId?: number): Promise<T.ImportRecord[]> {
  const r = svc.reader();
  const rows = await r.all<Record<string, unknown>>(
    `SELECT import_id, kind, file, path, sha256, size_bytes, format, encoding, delimiter, sheet, rows_read, rows_loaded, rows_rejected,
      mapping::VARCHAR AS mapping, quality::VARCHAR AS quality, target_table, status, message,
      CAST(started_at AS VARCHAR) AS started_at, CAST(finished_at AS VARCHAR) AS finished_at
     FROM import_log ${importId !== undefined ? 'WHERE import_id = $i' : ''} ORDER BY import_id`, importId !== undefined ? { i: importId } : undefined);
  const masked = svc.state.prefs().masking_default;
  return rows.map((x) => {
    // The import quality report quotes values (column min/max): masked like every other screen.
    const quality = (masked ? maskDeep(parseJson(x.quality)) : parseJson(x.quality)) as T.QualityReport | null;
    const extra = quality as unknown as { warnings?: unknown } | null;
    const warnings = extra && Array.isArray(extra.warnings) ? (extra.warnings as string[]) : [];
    return {
      import_id: num(x.import_id), kind: x.kind as T.Kind, file: String(x.file ?? ''), path: String(x.path ?? ''), sha256: String(x.sha256 ?? ''),
      size_bytes: num(x.size_bytes), format: String(x.format ?? ''), encoding: (x.encoding as string) ?? null, delimiter: (x.delimiter as string) ?? null,
      sheet: (x.sheet as string) ?? null, rows_read: num(x.rows_read), rows_loaded: num(x.rows_loaded), rows_rejected: num(x.rows_rejected),
      mapping: (parseJson(x.mapping) ?? {}) as Record<string, string>, quality, target_table: (x.target_table as string) ?? null,
      status: String(x.status ?? ''), message: (x.message as string) ?? null, started_at: (x.started_at as string) ?? null,
      finished_at: (x.finished_at as string) ?? null, warnings,
    };
  });
}
