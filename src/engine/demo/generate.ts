/**
 * `telisik demo`: synthetic extracts of every input kind for four kabupaten in Jawa Barat (real Kepmendagri codes),
 * with Indonesian headers and value forms that exercise ingestion, planted anomalies of every check in the
 * DOMAIN.md catalog at a rate proportional to size, and truth.json (the summary contract computed independently).
 *
 * Streaming: households are generated one at a time and written through buffered writers; memory stays bounded
 * (fixed-size serial counters, a few small aggregates). The canonical rows needed for truth.json are only kept
 * when truth is computed (by default for N ≤ TRUTH_MAX_HOUSEHOLDS).
 *
 * Modules: plan.ts (plants, rates, files, snapshot labels), context.ts (PRNG, counters, writers, row helpers),
 * population.ts (one household: members, desil, enrolment, later-snapshot fate), registry-rows.ts (deaths, registry
 * rows of both snapshots, civil servants), payments.ts (every programme's records and their plants), flags.ts
 * (comparison lists), budget.ts (nested budget lines), truth.ts (the independent oracle). The draws happen in a fixed
 * order, so a seed gives the same bytes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { isValidNik, pad } from './nik';
import { fmtDMY } from './format';
import { FILES } from './plan';
import { INSTANSI } from './names';
import { CsvWriter } from './writers';
import { computeTruth, type TruthDetail } from './truth';
import { writeBudgetLines } from './budget';
import { createContext } from './context';
import { createPopulation, type LoopState } from './population';
import { writeHouseholdRegistry } from './registry-rows';
import { writeHouseholdPayments } from './payments';
import type { DemoKind, InputTruth, Truth } from './model';

export { PLANTS, SNAPSHOT_PAIRS, snapshotPairFor, OFFICIAL_LIST, normList } from './plan';

import { DEMO_TRUTH_MAX_HOUSEHOLDS as TRUTH_MAX_HOUSEHOLDS } from '../../shared/types';
export { TRUTH_MAX_HOUSEHOLDS };
/** Data rows per XLSX sheet before PIP rows overflow into a CSV continuation file (Excel's limit is 1,048,576). */
export const XLSX_MAX_ROWS = 1_000_000;

export interface DemoProgress {
  phase: 'households' | 'budget' | 'finishing' | 'truth' | 'done';
  households: number;
  total: number;
}

export interface DemoOptions {
  outDir: string;
  households?: number;
  seed?: number;
  onProgress?: (p: DemoProgress) => void;
  /** Compute and write truth.json; default: households ≤ TRUTH_MAX_HOUSEHOLDS. */
  truth?: boolean;
  /** Rows per XLSX sheet before overflowing into CSV (tests use a small value). */
  xlsxMaxRows?: number;
  /** Keep per-check exception rows in result.detail (not written to truth.json). */
  detail?: boolean;
  /** Stops generation (files written so far are closed, not completed). */
  signal?: AbortSignal;
  /** Multiplies every plant rate (stress tests: many anomalies in the same household). Default 1. */
  plantRate?: number;
}

export interface DemoFile {
  kind: DemoKind;
  path: string;
}

export interface DemoResult {
  files: DemoFile[];
  truth: Truth | null;
  truthPath: string | null;
  rows: Record<string, number>;
  ms: number;
  detail?: TruthDetail;
}

export async function generateDemo(opts: DemoOptions): Promise<DemoResult> {
  const t0 = performance.now();
  const N = Math.max(1, Math.floor(opts.households ?? 2000));
  const seed = Math.floor(opts.seed ?? 42);
  const wantTruth = opts.truth ?? N <= TRUTH_MAX_HOUSEHOLDS;
  const xlsxMax = opts.xlsxMaxRows ?? XLSX_MAX_ROWS;
  const plantRate = opts.plantRate ?? 1;
  const out = opts.outDir;
  mkdirSync(out, { recursive: true });

  const G = createContext({ out, N, seed, wantTruth, xlsxMax, plantRate });
  const {
    rng, regions, localDistricts, T, lists, writers, planted, rejected, realSums, targetKpm, hhPaid, newNik, personName,
    birthBetween, nip, countPlant, monthDay, registry, bpnt, pkh, bltdd, blt, pip, deaths, civil, complaints,
  } = G;
  try {
    // ------------------------------------------------------------------------------- household loop
    const drawHousehold = createPopulation(G);
    const lp: LoopState = { pendingNumericNik: 0, complaintSeq: 0 };
    for (let h = 0; h < N; h++) {
      if ((h & 1023) === 0) {
        if (opts.signal?.aborted) throw opts.signal.reason ?? new Error('demo generation cancelled');
        opts.onProgress?.({ phase: 'households', households: h, total: N });
        await new Promise<void>((r) => setImmediate(r)); // lets the XLSX zip stream drain
      }
      hhPaid.clear();
      const H = drawHousehold(h, lp);
      const { plants, village, district, desil, members, ages } = H;
      const R = writeHouseholdRegistry(G, H);
      writeHouseholdPayments(G, H, R, lp);

      // ---- Comparison lists (kind flags)
      lists.household(
        { h, regency: district.regency, villageName: village.name, members, ages, desil, plants, paid: hhPaid },
        () => {
          const female = rng.chance(0.4);
          const b = birthBetween(20, 55);
          return { nik: newNik(rng.int(localDistricts.length), b, female), name: personName(female) };
        },
        personName,
        countPlant,
      );

      // ---- Civil servants outside the registry (background)
      if (rng.chance(0.01)) {
        const female = rng.chance(0.45);
        const b = birthBetween(22, 57);
        const n = newNik(rng.int(localDistricts.length), b, female);
        civil.row([n, nip({ birth: b, female }), personName(female), rng.pick(INSTANSI), 'ASN']);
        T?.civil.push(n);
      }

      // ---- Complaints
      if (rng.chance(0.012)) {
        lp.complaintSeq++;
        const received = monthDay(2025, 1 + rng.int(6), 1, 28);
        const st = rng.pick(['SELESAI', 'SELESAI', 'PROSES', 'BARU']);
        const m = rng.pick(members);
        complaints.row([
          `ADU-2025-${pad(lp.complaintSeq, 6)}`,
          fmtDMY(received),
          rng.pick(['LAPOR!', 'Kemensos', 'Desa', 'LAPOR!']),
          rng.pick(['Tidak terdaftar', 'Bantuan tidak diterima', 'Pemotongan dana', 'Salah sasaran', 'Data ganda']),
          village.code,
          rng.chance(0.8) ? m.nik : '',
          st,
          st === 'SELESAI' ? fmtDMY(received + 3 + rng.int(40)) : '',
          rng.pick([
            'Warga melaporkan bantuan belum diterima, mohon ditindaklanjuti',
            'Penerima diduga mampu, rumah permanen dan memiliki kendaraan',
            'Dana BPNT dipotong oleh oknum, "uang administrasi" Rp 50.000',
            'Nama tidak ada di daftar padahal keluarga miskin',
            'Terdapat penerima ganda dalam satu KK',
          ]),
        ]);
      }
    }
    opts.onProgress?.({ phase: 'budget', households: N, total: N });

    // ------------------------------------------------------------------------------- budget lines
    const budget = new CsvWriter(join(out, FILES.budget), ';', [
      'PROGRAM', 'TAHUN_ANGGARAN', 'KODE_WILAYAH', 'PAGU', 'REALISASI', 'SUMBER_DANA', 'TARGET_KPM',
    ]);
    writers.push(budget);
    const budgetRows = writeBudgetLines(budget, rng, regions.regencies, realSums, targetKpm);

    // ------------------------------------------------------------------------------- close and describe
    opts.onProgress?.({ phase: 'finishing', households: N, total: N });
    const inputs: InputTruth[] = [];
    const files: DemoFile[] = [];
    const closeCsv = (w: CsvWriter, kind: DemoKind, rej = 0): void => {
      const sha = w.close();
      files.push({ kind, path: w.path });
      inputs.push({ kind, file: basename(w.path), sha256: sha, rows_read: w.rows, rows_loaded: w.rows - rej, rows_rejected: rej });
    };
    closeCsv(registry, 'registry');
    closeCsv(bpnt, 'disbursements', rejected.bpnt ?? 0);
    closeCsv(pkh, 'disbursements');
    closeCsv(bltdd, 'disbursements');
    closeCsv(blt, 'disbursements');
    const pipSha = await pip.close();
    files.push({ kind: 'disbursements', path: pip.path });
    inputs.push({ kind: 'disbursements', file: basename(pip.path), sha256: pipSha, rows_read: pip.rows, rows_loaded: pip.rows, rows_rejected: 0 });
    if (G.pipMore) closeCsv(G.pipMore, 'disbursements');
    closeCsv(deaths, 'deaths');
    closeCsv(civil, 'civil_servants');
    closeCsv(budget, 'budget');
    closeCsv(complaints, 'complaints');
    closeCsv(lists.wage, 'flags', lists.rejectedWage);
    closeCsv(lists.vehicle, 'flags');
    closeCsv(lists.official, 'flags');
    const rows: Record<string, number> = {};
    for (const i of inputs) rows[i.file] = i.rows_read;

    let truth: Truth | null = null;
    let truthPath: string | null = null;
    let detail: TruthDetail | undefined;
    if (T) {
      opts.onProgress?.({ phase: 'truth', households: N, total: N });
      const full = computeTruth({
        households: N, seed, inputs, registry: T.reg, disbursements: T.disb, deaths: T.deaths, civilServants: T.civil,
        budget: budgetRows, flags: T.flags, planted, detail: opts.detail,
      });
      detail = full.detail;
      delete full.detail;
      truth = full;
      truthPath = join(out, 'truth.json');
      writeFileSync(truthPath, JSON.stringify(truth, null, 2) + '\n');
    } else {
      writeFileSync(
        join(out, 'truth.README.txt'),
        `truth.json is only computed for N <= ${TRUTH_MAX_HOUSEHOLDS} households (in-memory oracle); this set has ${N}.\n` +
          `Planted anomalies: ${JSON.stringify(planted)}\n`,
      );
    }
    opts.onProgress?.({ phase: 'done', households: N, total: N });
    return { files, truth, truthPath, rows, ms: performance.now() - t0, ...(detail ? { detail } : {}) };
  } catch (e) {
    for (const w of writers) w.abort();
    throw e;
  }
}

/** Exposed for tests: the contract validator the generator uses. */
export { isValidNik };
