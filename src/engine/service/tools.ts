/**
 * General audit tool calls (Benford, duplicates, gaps, stratify, ageing, pivot, sampling, profile).
 */
import type * as T from '../../shared/types';
import { ServiceError } from '../../shared/result';
import { maskDeep, maskValue } from '../../shared/masking';
import { plainValue } from '../workspace/workspace';
import { num, type HandlersOf, type ServiceCore } from './core';
import { modules } from './modules';

export type ToolsCalls = 'toolBenford' | 'benfordRecords' | 'toolDuplicates' | 'toolGaps' | 'toolStratify' | 'toolAgeing' | 'toolPivot' | 'toolSample' | 'toolProfile';

export function toolsHandlers(svc: ServiceCore): HandlersOf<ToolsCalls> {
  return {
    // Each tool run in the write queue on the write connection, with its trail entry (ServiceCore.toolRun).
    toolBenford: async (a) => svc.toolRun('benford', a, async (ws) => {
      const res = await modules.tools().benford(ws, { table: a.table, column: a.column, test: a.digits === 'first_two' ? 2 : 1, minValue: a.min_value, resultName: a.save });
      return toolResult(svc.state.prefs().masking_default, 'benford', a.table, `Hukum Benford — ${a.column}`, res, res.digits ?? [], res.result_table ?? null);
    }),
    benfordRecords: async (a) => {
      const t = modules.tools();
      const res = await t.benfordDrill(svc.reader(), { table: a.table, column: a.column, test: a.digits === 'first_two' ? 2 : 1, digit: a.digit, limit: a.limit, offset: a.offset, minValue: a.min_value });
      const masked = svc.state.prefs().masking_default;
      return { offset: a.offset, total: num(res.total), rows: res.rows.map((row: Record<string, unknown>) => maskRow(row, masked)) };
    },
    toolDuplicates: async (a) => svc.toolRun('duplicates', a, async (ws) => {
      const t = modules.tools();
      if (a.fuzzy) {
        const res = await t.fuzzyDuplicates(ws, { table: a.table, nameColumn: a.fuzzy.name_column, blockKeys: a.keys, threshold: a.fuzzy.threshold, resultName: a.save });
        return toolResult(svc.state.prefs().masking_default, 'duplicates', a.table, `Duplikat samar — ${a.fuzzy.name_column}`, res, res.top ?? [], res.result_table ?? null);
      }
      const res = await t.duplicates(ws, { table: a.table, keys: a.keys, amountColumn: a.amount_column, resultName: a.save });
      return toolResult(svc.state.prefs().masking_default, 'duplicates', a.table, `Duplikat — ${a.keys.join(', ')}`, res, res.top ?? [], res.result_table ?? null);
    }),
    toolGaps: async (a) => svc.toolRun('gaps', a, async (ws) => {
      const res = await modules.tools().gaps(ws, { table: a.table, column: a.column, step: a.step, resultName: a.save });
      return toolResult(svc.state.prefs().masking_default, 'gaps', a.table, `Celah urutan — ${a.column}`, res, res.top ?? [], res.result_table ?? null);
    }),
    toolStratify: async (a) => svc.toolRun('stratify', a, async (ws) => {
      const res = await modules.tools().stratify(ws, { table: a.table, column: a.column, bounds: a.bounds, quantiles: a.strata, resultName: a.save });
      return toolResult(svc.state.prefs().masking_default, 'stratify', a.table, `Stratifikasi — ${a.column}`, res, res.strata ?? [], res.result_table ?? null);
    }),
    toolAgeing: async (a) => {
      const asOf = a.as_of ?? new Date().toISOString().slice(0, 10);
      return svc.toolRun('ageing', { ...a, as_of: asOf }, async (ws) => {
        const res = await modules.tools().ageing(ws, { table: a.table, column: a.column, asOf, amountColumn: a.amount_column, resultName: a.save });
        return toolResult(svc.state.prefs().masking_default, 'ageing', a.table, `Umur — ${a.column} per ${asOf}`, res, res.buckets ?? [], res.result_table ?? null);
      });
    },
    toolPivot: async (a) => svc.toolRun('pivot', a, async (ws) => {
      const res = await modules.tools().pivot(ws, { table: a.table, groupBy: a.rows, value: a.value, resultName: a.save });
      return toolResult(svc.state.prefs().masking_default, 'pivot', a.table, `Ringkasan — ${a.rows.join(' × ')}`, res, res.rows ?? [], res.result_table ?? null);
    }),
    toolSample: async (a) => { return svc.tasks.exclusive(async () => {
      const t = modules.tools();
      const name = a.name ?? `${a.method}_${Date.now().toString(36)}`;
      const ws = svc.need();
      const res = a.method === 'mus'
        ? await t.sampleMus(ws, { name, table: a.table, amountColumn: a.amount_column ?? 'amount', size: a.size, interval: a.interval, seed: a.seed, randomStart: a.random_start })
        : await t.sampleRandom(ws, { name, table: a.table, size: a.size ?? fail('toolSample: size is required for a random sample'), seed: a.seed, amountColumn: a.amount_column });
      // The sampling module records the draw (sample.mus / sample.random, with its seed and result): one trail entry.
      return toolResult(svc.state.prefs().masking_default, 'sample', a.table, `Uji petik (${a.method === 'mus' ? 'MUS' : 'acak'}) — ${a.table}`, res, [], res.result_table ?? null);
    }); },
    toolProfile: async (a) => svc.toolRun('profile', a, async (ws) => {
      const raw = await modules.tools().fieldProfile(ws, { table: a.table, column: a.column, top: a.top ?? 10 });
      const res = svc.state.prefs().masking_default ? raw.map(modules.tools().maskFieldProfile) : raw;
      return toolResult(svc.state.prefs().masking_default, 'profile', a.table, `Profil kolom — ${a.table}`, { columns: res }, (res as unknown as Record<string, unknown>[]).map((p) => ({ ...p, top: JSON.stringify(p.top), length: JSON.stringify(p.length), numeric: p.numeric ? JSON.stringify(p.numeric) : null })), null);
    }),
  };
}

const fail = (message: string): never => { throw new ServiceError('invalid_args', message); };

function maskRow(row: Record<string, unknown>, masked: boolean): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  const flat: [string, unknown][] = [];
  for (const [k, v] of Object.entries(row)) {
    // Nested objects (duplicate-group keys, fuzzy blocks) become columns of their own for the grid.
    if (v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) && Object.getPrototypeOf(v) === Object.prototype) {
      for (const [sk, sv] of Object.entries(v as Record<string, unknown>)) flat.push([k === 'keys' ? sk : `${k}_${sk}`, sv]);
    } else flat.push([k, v]);
  }
  for (const [k, v] of flat) {
    const pv = plainValue(v);
    o[k] = masked ? maskValue(pv, k) : pv;
  }
  return o;
}

/** The one masking function (src/shared/masking.ts), deeply: every string by content, identifier columns by name. */
const deepMask = (v: unknown): unknown => maskDeep(v);

function toolResult(masked: boolean, tool: string, table: string, title: string, data: unknown, rows: unknown[], resultTable: string | null): T.ToolResult {
  const plain = (rows as Record<string, unknown>[]).slice(0, 5000).map((r) => (r && typeof r === 'object' ? maskRow(r, masked) : { value: r }))
    .map((r) => (masked ? (deepMask(r) as Record<string, unknown>) : r));
  const columns = plain.length ? Object.keys(plain[0]).map((name) => ({ name, type: typeof plain[0][name] === 'number' ? 'DOUBLE' : 'VARCHAR' })) : [];
  const summary: Record<string, unknown> = {};
  if (data && typeof data === 'object') {
    for (const [k, v] of Object.entries(data as Record<string, unknown>)) if (v === null || typeof v !== 'object') summary[k] = plainValue(v);
  }
  const notes = data && typeof data === 'object' && Array.isArray((data as { notes?: unknown }).notes) ? ((data as { notes: string[] }).notes) : [];
  const plainData = JSON.parse(JSON.stringify(data, (_k, v) => (typeof v === 'bigint' ? Number(v) : v)));
  return { tool, table, title, summary, columns, rows: plain, result_table: resultTable, notes, data: masked ? deepMask(plainData) : plainData };
}
