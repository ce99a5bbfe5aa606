import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from '../command';
import { InputError, UsageError, flag, parseArgs, requireFlag } from '../args';
import type { ReviewImportResult } from '../../shared/types';
import { rupiah } from '../../shared/format';
import { CallFailed, withService } from '../service';

export const reviewImportCommand: Command = {
  name: 'review-import',
  summary: 'Import a filled field-verification (uji petik) workbook as exception reviews; refuses, naming file, sheet and row, anything it cannot apply',
  usage: 'telisik review-import --workspace W FILE.xlsx [--reviewer NAME] [--partial] [--json]',
  async run(argv) {
    const args = parseArgs(argv, ['json', 'partial']);
    for (const k of args.flags.keys()) if (!['workspace', 'reviewer', 'json', 'partial'].includes(k)) throw new UsageError(`unknown option --${k}`);
    if (args.positionals.length !== 1) throw new UsageError('give exactly one FILE.xlsx');
    const file = args.positionals[0];
    if (!existsSync(file)) throw new InputError(`File not found: ${file}`);
    // The Laporan screen's call (importReviewWorkbook): the reviews, their trail entry, the refusal with its read-back.
    return withService(requireFlag(args, 'workspace'), async (c) => {
      let r: ReviewImportResult;
      try {
        r = await c.call('importReviewWorkbook', { path: resolve(file), reviewer: flag(args, 'reviewer'), partial: flag(args, 'partial') === 'true' || undefined });
      } catch (e) {
        if (e instanceof CallFailed && e.code === 'invalid_input') {
          const p = e.params as { review_refused?: boolean; result?: ReviewImportResult } | undefined;
          if (p?.review_refused) {
            if (flag(args, 'json') === 'true' && p.result) console.log(JSON.stringify(p.result, null, 2));
            console.error(`DITOLAK: ${e.message}`);
            return 1;
          }
          if (/zip|End of data|Corrupted|not a valid/i.test(e.message)) throw new InputError(`${file}: bukan workbook XLSX yang sah (${e.message})`);
        }
        if (e instanceof CallFailed && e.code === 'internal' && /zip|End of data|Corrupted|not a valid/i.test(e.message)) throw new InputError(`${file}: bukan workbook XLSX yang sah (${e.message})`);
        throw e;
      }
      if (flag(args, 'json') === 'true') { console.log(JSON.stringify(r, null, 2)); return r.rejected > 0 ? 1 : 0; }
      console.log(`Hasil uji petik diimpor dari ${file} (sha256 ${r.sha256})`);
      console.log(`  baris ${r.rows}, terisi ${r.filled}, kosong ${r.blank}`);
      console.log(`  reviu ditulis ${r.applied}: terkonfirmasi ${r.confirmed}, dikecualikan ${r.cleared}, terbuka ${r.open}`);
      console.log(`  potensi kerugian sampel: temuan ${rupiah(r.potential_loss.found)}, terkonfirmasi setelah reviu ${rupiah(r.potential_loss.confirmed)}`);
      for (const m of r.messages) console.log(`  ${m}`);
      if (r.rejected > 0) { console.error(`${r.rejected} baris ditolak (lihat di atas); baris lain diterapkan (--partial).`); return 1; }
      return 0;
    }, undefined, { prefs: flag(args, 'reviewer') ? { reviewer: flag(args, 'reviewer') } : undefined });
  },
};
