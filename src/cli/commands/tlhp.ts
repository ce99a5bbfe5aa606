import type { Command } from '../command';
import { InputError, UsageError, flag, parseArgs, requireFlag } from '../args';
import { TLHP_STATUSES, TLHP_STATUS_LABEL, type TlhpStatus } from '../../shared/continuity';
import { withService } from '../service';

const fmtRp = (n: number | null) => (n == null ? '-' : 'Rp ' + Math.round(n).toLocaleString('id-ID'));

export const tlhpCommand: Command = {
  name: 'tlhp',
  summary: 'Recommendation follow-up (TLHP): list, sync from findings, carry from a previous engagement, set a status',
  usage: 'telisik tlhp list|sync --workspace W [--json]\n'
    + '  telisik tlhp carry --workspace W --previous W0\n'
    + `  telisik tlhp set --workspace W --rec KEY [--status ${TLHP_STATUSES.join('|')} --by AUDITOR] [--action TEXT] [--evidence REF] [--date YYYY-MM-DD] [--recovered RUPIAH]\n`
    + '  Workbook: telisik report --kind tlhp --workspace W --out tlhp.xlsx',
  async run(argv) {
    const [sub, ...rest] = argv;
    const args = parseArgs(rest, ['json']);
    const allowed: Record<string, string[]> = {
      list: ['workspace', 'json'], sync: ['workspace', 'json'], carry: ['workspace', 'previous', 'json'],
      set: ['workspace', 'rec', 'status', 'by', 'action', 'evidence', 'date', 'recovered', 'json'],
    };
    if (!sub || !allowed[sub]) throw new UsageError(`tlhp: sub-command list, sync, carry or set${sub ? `, got "${sub}"` : ''}`);
    for (const k of args.flags.keys()) if (!allowed[sub].includes(k)) throw new UsageError(`unknown option --${k}`);
    const json = flag(args, 'json') === 'true';
    const status = flag(args, 'status');
    const recovered = flag(args, 'recovered');
    if (sub === 'set') {
      if (status && !(TLHP_STATUSES as readonly string[]).includes(status)) throw new UsageError(`--status must be one of ${TLHP_STATUSES.join(', ')}`);
      if (recovered !== undefined && !/^\d+(\.\d{1,2})?$/.test(recovered)) throw new UsageError('--recovered must be a rupiah amount, e.g. 1500000');
      // The command line has no session reviewer: a status is judged by the auditor it names.
      if (status && !flag(args, 'by')?.trim()) throw new InputError('status TLHP dinilai oleh auditor: sebutkan namanya (judged_by / --by)');
    }
    // The UI's TLHP calls (each leaves its trail entry; tlhpList adds this engagement's recommendations first).
    return withService(requireFlag(args, 'workspace'), async (c) => {
      if (sub === 'carry') {
        const r = await c.call('tlhpCarry', { previous: requireFlag(args, 'previous') });
        if (json) console.log(JSON.stringify(r, null, 2));
        else console.log(`Rekomendasi dibawa dari penugasan sebelumnya: ${r.carried} (selesai, tidak dibawa: ${r.skipped_closed}; sudah ada: ${r.already})`);
      } else if (sub === 'sync') {
        const r = await c.call('tlhpSync', {});
        if (json) console.log(JSON.stringify(r, null, 2)); else console.log(`Rekomendasi baru: ${r.added}, diperbarui: ${r.updated}`);
      } else if (sub === 'set') {
        const r = await c.call('tlhpUpdate', {
          rec_key: requireFlag(args, 'rec'), status: status as TlhpStatus | undefined, judged_by: flag(args, 'by'), action: flag(args, 'action'),
          evidence: flag(args, 'evidence'), action_date: flag(args, 'date'), recovered: recovered === undefined ? undefined : Number(recovered),
        });
        if (json) console.log(JSON.stringify(r, null, 2)); else console.log(`${r.rec_key}: ${TLHP_STATUS_LABEL[r.status]}${r.judged_by ? ` (dinilai ${r.judged_by})` : ''}`);
      }
      if (sub === 'list' || (!json && sub === 'sync')) {
        const recs = await c.call('tlhpList', {});
        if (json) console.log(JSON.stringify(recs, null, 2));
        else {
          for (const r of recs) {
            console.log(`${r.rec_key}\n    ${r.finding_ref} ${r.finding_title} — ${fmtRp(r.finding_amount)}\n    rekomendasi: ${r.recommendation}\n    status: ${TLHP_STATUS_LABEL[r.status]}`
              + `${r.action ? `; tindak lanjut: ${r.action}` : ''}${r.evidence ? `; bukti: ${r.evidence}` : ''}${r.recovered != null ? `; pemulihan ${fmtRp(r.recovered)}` : ''}${r.carried_from ? '  [dibawa]' : ''}`);
          }
          const by = TLHP_STATUSES.map((s) => `${TLHP_STATUS_LABEL[s]}: ${recs.filter((r) => r.status === s).length}`);
          console.log(`${recs.length} rekomendasi — ${by.join('; ')}`);
        }
      }
      return 0;
    });
  },
};
