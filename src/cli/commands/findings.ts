import type { Command } from '../command';
import { UsageError, flag, flagList, parseArgs, requireFlag } from '../args';
import type { ReviewStatus } from '../../shared/types';
import { rupiah, angka } from '../../shared/format';
import { withService } from '../service';

const OPTIONS = ['workspace', 'draft', 'reset', 'json', 'show', 'review', 'status', 'rec', 'note', 'reviewer'];
const REVIEW_STATUSES: readonly ReviewStatus[] = ['confirmed', 'cleared', 'open'];

export const findingsCommand: Command = {
  name: 'findings',
  summary: 'List findings ranked by potential loss; draft/refresh them from the latest run; show one; review exceptions',
  usage: 'telisik findings --workspace W [--draft] [--reset] [--json] [--show CHECK]\n'
    + '       telisik findings --workspace W --review CHECK --status confirmed|cleared|open --rec REC_ID [--rec REC_ID…] [--note TEXT] [--reviewer NAME]',
  async run(argv) {
    const args = parseArgs(argv, ['draft', 'reset', 'json']);
    for (const k of args.flags.keys()) if (!OPTIONS.includes(k)) throw new UsageError(`unknown option --${k}`);
    const json = flag(args, 'json') === 'true';
    const review = flag(args, 'review');
    let recIds: number[] = [];
    if (review) {
      if (!REVIEW_STATUSES.includes(flag(args, 'status') as ReviewStatus)) throw new UsageError('--status must be confirmed, cleared or open');
      const recs = flagList(args, 'rec').flatMap((r) => r.split(',')).map((r) => r.trim()).filter(Boolean);
      if (!recs.length) throw new UsageError('--rec REC_ID is required with --review');
      const bad = recs.find((r) => !/^\d+$/.test(r));
      if (bad) throw new UsageError(`--rec must be a record number (rec_id), got "${bad}"`);
      recIds = recs.map(Number);
    }
    // The UI's calls; --reviewer is the session's reviewer name (the review's and the trail entry's actor).
    return withService(requireFlag(args, 'workspace'), async (c) => {
      if (review) {
        const status = flag(args, 'status') as ReviewStatus;
        const r = await c.call('reviewExceptions', { check_id: review, rec_ids: recIds, status, note: flag(args, 'note') });
        const fig = await c.call('findingFigures', { check_id: review });
        if (json) console.log(JSON.stringify({ ...r, figures: fig }, null, 2));
        else console.log(`${r.updated} pengecualian ${review} -> ${status}. Terkonfirmasi ${fig.confirmed.records}, dikecualikan ${fig.cleared.records}, belum direviu ${fig.open.records}.`);
        return 0;
      }
      if (flag(args, 'draft') === 'true' || flag(args, 'reset') === 'true') {
        const d = await c.call('draftFindings', { reset: flag(args, 'reset') === 'true' });
        if (!json) console.error(`draf temuan dari run ${d.run_id ?? '-'}: ${d.drafted.length} temuan${Object.keys(d.kept_edits).length ? `, suntingan auditor dipertahankan pada ${Object.keys(d.kept_edits).join(', ')}` : ''}`);
      }
      const show = flag(args, 'show');
      if (show) {
        const f = await c.call('getFinding', { check_id: show }); // not_found: "jalankan analisis dahulu" (exit 3)
        const fig = await c.call('findingFigures', { check_id: show });
        if (json) { console.log(JSON.stringify({ ...f, figures: fig }, null, 2)); return 0; }
        console.log(`${f.title_id} [${f.check_id}]${f.stale ? '  (angka berubah sejak kondisi disunting)' : ''}`);
        for (const k of ['kondisi', 'kriteria', 'sebab', 'akibat', 'rekomendasi', 'tanggapan'] as const) console.log(`\n${k.toUpperCase()}${f.edited.includes(k) ? ' (disunting)' : ''}\n${f[k] || '-'}`);
        console.log(`\nReviu: terkonfirmasi ${fig.confirmed.records} (${rupiah(fig.confirmed.amount)}), dikecualikan ${fig.cleared.records} (${rupiah(fig.cleared.amount)}), belum direviu ${fig.open.records} (${rupiah(fig.open.amount)})`);
        return 0;
      }
      const list = await c.call('listFindings', {});
      if (json) { console.log(JSON.stringify(list, null, 2)); return 0; }
      if (!list.length) { console.log('Belum ada temuan. Jalankan `telisik run` (setiap run menyusun draf temuan).'); return 0; }
      console.log(`${'#'.padStart(2)}  ${'check'.padEnd(24)} ${'records'.padStart(9)} ${'penerima'.padStart(9)} ${'nilai'.padStart(20)} ${'potensi kerugian'.padStart(20)}  reviu (ok/x/open)  judul`);
      list.forEach((f, i) => {
        console.log(`${String(i + 1).padStart(2)}  ${f.check_id.padEnd(24)} ${angka(f.records).padStart(9)} ${angka(f.recipients).padStart(9)} ${rupiah(f.amount).padStart(20)} ${rupiah(f.potential_loss_amount).padStart(20)}  ${`${f.reviews.confirmed}/${f.reviews.cleared}/${f.reviews.open}`.padEnd(17)}  ${f.title_id}${f.active ? '' : ' (tidak aktif)'}`);
      });
      return 0;
    }, undefined, { prefs: flag(args, 'reviewer') ? { reviewer: flag(args, 'reviewer') } : undefined });
  },
};
