import type { Command } from '../command';
import { UsageError, flag, parseArgs, requireFlag } from '../args';
import { Workspace } from '../../engine/workspace/workspace';
import { verifyTrail } from '../../engine/trail/trail';

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'Verify the audit-trail hash chain and the SHA-256 of every imported source file (exit 1 on any break or change)',
  usage: 'telisik verify --workspace W [--json] [--no-sources]',
  async run(argv) {
    const args = parseArgs(argv, ['json', 'no-sources']);
    for (const k of args.flags.keys()) if (!['workspace', 'json', 'no-sources'].includes(k)) throw new UsageError(`unknown option --${k}`);
    const ws = await Workspace.open(requireFlag(args, 'workspace'));
    try {
      const v = await verifyTrail(ws, { checkSources: flag(args, 'no-sources') !== 'true' });
      const changed = v.sources.filter((s) => s.status === 'changed').length;
      const missing = v.sources.filter((s) => s.status === 'missing').length;
      if (flag(args, 'json') === 'true') {
        console.log(JSON.stringify(v, null, 2));
      } else {
        console.log(`Jejak audit (audit trail): ${v.entries} entri — ${v.breaks.length ? `RUSAK (${v.breaks.length} masalah)` : 'rantai utuh (chain intact)'}`);
        console.log(`  head ${v.head}`);
        for (const b of v.breaks) console.log(`  ✗ entri ${b.seq}: ${b.problem}`);
        if (flag(args, 'no-sources') !== 'true') {
          console.log(`Berkas sumber (source files): ${v.sources.length}${changed ? `, ${changed} BERUBAH (changed)` : ''}${missing ? `, ${missing} tidak ditemukan (missing)` : ''}`);
          for (const s of v.sources) {
            const mark = s.status === 'ok' ? 'ok     ' : s.status === 'changed' ? 'CHANGED' : 'missing';
            console.log(`  ${mark}  #${s.import_id} ${s.file}  sha256 ${s.expected}${s.status === 'changed' ? ` -> ${s.actual}` : ''}${s.status === 'missing' ? `  (${s.path})` : ''}`);
          }
        }
        console.log(v.ok ? 'OK' : 'GAGAL (verification failed)');
      }
      return v.ok ? 0 : 1;
    } finally {
      await ws.close();
    }
  },
};
