/**
 * Budget lines of the demo (`anggaran_bansos.csv`): nested lines whose realization is the paid sum of the records
 * whose most specific line each is (DOMAIN.md `realization_mismatch`, contract 2), with planted differences.
 */
import type { Rng } from './prng';
import type { CsvWriter } from './writers';
import type { BudgetRow } from './model';
import { amtId, digits, thousands } from './format';
import { pad } from './nik';

/**
 * Writes the lines and returns their canonical values. `realSums`: paid cents per `programme|year or ''|village code
 * or ''`; `targetKpm`: enrolled households per `programme|kabupaten`.
 */
export function writeBudgetLines(
  budget: CsvWriter, rng: Rng, regencies: { code: string }[], realSums: Map<string, number>, targetKpm: Map<string, number>,
): BudgetRow[] {
  const budgetRows: BudgetRow[] = [];
  const lineSpecs: { prog: string; raw: string; year: number | null; region: string | null; src: string }[] = [];
  const progRaw: Record<string, string[]> = {
    PKH: ['PKH'],
    BPNT: ['PROGRAM SEMBAKO', 'BPNT'],
    BLT_DD: ['BLT DANA DESA', 'BLT DESA'],
    BLT: ['BLT', 'BANSOS TUNAI'],
    PIP: ['PIP', 'KIP'],
  };
  const src: Record<string, string> = { PKH: 'APBN', BPNT: 'APBN', BLT_DD: 'DANA DESA', BLT: 'APBN', PIP: 'APBN' };
  // Nested lines (contract 2: each paid record belongs to its most specific line only): kab/kota lines for every
  // programme in 2025 except BLT (two kabupaten) and PIP (three) whose remaining records fall to the provincial APBD
  // BLT line (`32`) and the national PIP line (no region); BPNT also has a carry-over line for Cianjur without year
  // (undated records there) and a central line without region or year (records without region or date elsewhere);
  // BLT_DD 2024 has kab lines for two kabupaten and a provincial line for the rest.
  const regs = regencies;
  for (const prog of ['PKH', 'BPNT', 'BLT_DD', 'BLT', 'PIP'])
    regs.forEach((r, i) => {
      if ((prog === 'BLT' && i >= 2) || (prog === 'PIP' && i >= 3)) return;
      lineSpecs.push({ prog, raw: rng.pick(progRaw[prog]), year: 2025, region: r.code, src: src[prog] });
    });
  regs.slice(0, 2).forEach((r) => lineSpecs.push({ prog: 'BLT_DD', raw: 'BLT DESA', year: 2024, region: r.code, src: 'DANA DESA' }));
  lineSpecs.push({ prog: 'BLT_DD', raw: 'BLT DESA', year: 2024, region: '32', src: 'DANA DESA' });
  lineSpecs.push({ prog: 'BLT', raw: 'BLT', year: 2025, region: '32', src: 'APBD' });
  lineSpecs.push({ prog: 'PIP', raw: 'PIP', year: 2025, region: null, src: 'APBN' });
  lineSpecs.push({ prog: 'BPNT', raw: 'PROGRAM SEMBAKO', year: null, region: regs[2 % regs.length].code, src: 'APBN (LUNCURAN)' });
  lineSpecs.push({ prog: 'BPNT', raw: 'BPNT', year: null, region: null, src: 'APBN PUSAT' });
  // the paid sums of each line: every (programme, year, village) aggregate goes to its most specific line
  const actualOf = new Array<number>(lineSpecs.length).fill(0);
  for (const [key, cents] of realSums) {
    const [prog, year, region] = key.split('|');
    let best = -1;
    let rank = -1;
    lineSpecs.forEach((ls, i) => {
      if (ls.prog !== prog || (ls.year !== null && String(ls.year) !== year)) return;
      const lr = ls.region === null ? '' : digits(ls.region);
      if (!region.startsWith(lr)) return;
      const r = lr.length * 2 + (ls.year !== null ? 1 : 0);
      if (r > rank) {
        rank = r;
        best = i;
      }
    });
    if (best >= 0) actualOf[best] += cents;
  }
  let k = 0;
  for (const [i, ls] of lineSpecs.entries()) {
    const actual = actualOf[i];
    let real = actual;
    const kind = k++ % 10;
    if (kind === 3) real += 100; // exactly Rp 1 off: within tolerance
    else if (kind === 5) real += 50; // 50 sen off
    else if (kind === 7) real += (1 + rng.int(40)) * 100_000_00; // Rp 100k … 4M over
    else if (kind === 9) real = Math.max(0, real - (1 + rng.int(20)) * 200_000_00);
    const alloc = Math.max(real, actual) === 0 ? 100_000_000_00 : Math.ceil((Math.max(real, actual) * (1.03 + rng.next() * 0.2)) / 1_000_000_00) * 1_000_000_00;
    const fmt = (cents: number): string =>
      cents % 100 !== 0 ? `${thousands(Math.floor(cents / 100), '.')},${pad(cents % 100, 2)}` : rng.chance(0.5) ? amtId(cents / 100) : String(cents / 100);
    const tk = ls.region && ls.region.length > 2 ? targetKpm.get(`${ls.prog}|${digits(ls.region)}`) ?? 0 : 0;
    budget.row([ls.raw, ls.year === null ? '' : String(ls.year), ls.region ?? '', fmt(alloc), fmt(real), ls.src, tk ? String(Math.round(tk * 1.1)) : '']);
    budgetRows.push({ program: ls.prog, year: ls.year, region: ls.region === null ? null : digits(ls.region), allocationCents: alloc, realizationCents: real });
  }
  return budgetRows;
}
