import { existsSync } from 'node:fs';
import type { Command } from '../command';
import { InputError, UsageError, flag, parseArgs, requireFlag } from '../args';
import { Workspace } from '../../engine/workspace/workspace';
import { importReviewWorkbook } from '../../engine/reports';

export const reviewImportCommand: Command = {
  name: 'review-import',
  summary: 'Import a filled field-verification (uji petik) workbook as exception reviews; unmatched rows are listed',
  usage: 'telisik review-import --workspace W FILE.xlsx [--reviewer NAME] [--json]',
  async run(argv) {
    const args = parseArgs(argv, ['json']);
    for (const k of args.flags.keys()) if (!['workspace', 'reviewer', 'json'].includes(k)) throw new UsageError(`unknown option --${k}`);
    if (args.positionals.length !== 1) throw new UsageError('give exactly one FILE.xlsx');
    const file = args.positionals[0];
    if (!existsSync(file)) throw new InputError(`File not found: ${file}`);
    const ws = await Workspace.open(requireFlag(args, 'workspace'));
    try {
      let r;
      try {
        r = await importReviewWorkbook(ws, file, { reviewer: flag(args, 'reviewer') });
      } catch (e) {
        if (e instanceof Error && /zip|End of data|Corrupted|not a valid/i.test(e.message)) throw new InputError(`${file}: bukan workbook XLSX yang sah (${e.message})`);
        throw e;
      }
      if (flag(args, 'json') === 'true') { console.log(JSON.stringify(r, null, 2)); return 0; }
      console.log(`Hasil uji petik diimpor dari ${file} (sha256 ${r.sha256})`);
      console.log(`  baris ${r.rows}, terisi ${r.filled}, kosong ${r.blank}`);
      console.log(`  reviu ditulis ${r.applied}: terkonfirmasi ${r.confirmed}, dikecualikan ${r.cleared}, terbuka ${r.open}`);
      if (r.unmatched.length) {
        console.log(`  TIDAK COCOK dengan pengecualian mana pun (${r.unmatched.length}):`);
        for (const u of r.unmatched) console.log(`    ${u.sheet}!baris ${u.row}: check ${u.check_id || '-'} rec_id ${u.rec_id} HASIL ${u.hasil} — ${u.reason}`);
      }
      if (r.invalid.length) {
        console.log(`  TIDAK SAH (${r.invalid.length}):`);
        for (const u of r.invalid) console.log(`    ${u.sheet}!baris ${u.row}: ${u.reason}`);
      }
      return 0;
    } finally {
      await ws.close();
    }
  },
};
