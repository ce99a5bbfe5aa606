/**
 * `telisik demo`: synthetic extracts of every input kind for four kabupaten in Jawa Barat (real Kepmendagri codes),
 * with Indonesian headers and value forms that exercise ingestion, planted anomalies of every check in the
 * DOMAIN.md catalog at a rate proportional to size, and truth.json (the summary contract computed independently).
 *
 * Streaming: households are generated one at a time and written through buffered writers; memory stays bounded
 * (fixed-size serial counters, a few small aggregates). The canonical rows needed for truth.json are only kept
 * when truth is computed (by default for N ≤ TRUTH_MAX_HOUSEHOLDS).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Rng } from './prng';
import { DAY_MS, ddmmyy, dayOf, isoOf, isValidNik, pad } from './nik';
import {
  DAY0, ISSUE0, NDAYS, NISSUE, REF_DAY, ageOn, amtDots, amtEn, amtId, amtIdDec, digits, fmtDMY, fmtLong, pad2, ymd,
} from './format';
import {
  BANKS, DESIL_WEIGHTS, DISB_HEADER, FALL_IN_RATE, FILES, GRADUATE_RATE, LATER_PRESENT, NEEDS_BPNT, PLANTS, RATES,
  SIZE_WEIGHTS, snapshotPairFor, type Disb, type Household, type Person, type Plant,
} from './plan';
import {
  FEMALE_FAMILY, FEMALE_GIVEN, INSTANSI, INSTANSI_POLRI, INSTANSI_TNI, KAMPUNG, MALE_FAMILY, MALE_GIVEN, MONTHS_ID,
} from './names';
import { loadRegions } from './regions';
import { CsvWriter, XlsxWriter, type XlsxCell } from './writers';
import { jaroWinkler, nameNorm } from './similarity';
import { computeTruth, type TruthDetail } from './truth';
import { writeBudgetLines } from './budget';
import { ComparisonLists } from './flags';
import type { DeathRow, DemoKind, DisbRow, FlagRow, InputTruth, RegRow, Truth } from './model';

export { PLANTS, SNAPSHOT_PAIRS, snapshotPairFor, OFFICIAL_LIST, normList } from './plan';

export const TRUTH_MAX_HOUSEHOLDS = 200_000;
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

  const rng = new Rng(seed);
  const regions = loadRegions();
  const localDistricts = regions.districts.slice(0, regions.local);
  const nDist = regions.districts.length;
  const nikCounter = new Uint16Array(nDist * NDAYS * 2);
  const kkCounter = new Uint16Array(nDist * NISSUE);
  let accountSeq = 0;
  let txnSeq = 0;

  // ------------------------------------------------------------------------------- writers (import order)
  const registry = new CsvWriter(join(out, FILES.registry), ';', [
    'NIK', 'NO_KK', 'NAMA', 'TGL_LAHIR', 'JENIS_KELAMIN', 'HUBUNGAN_KELUARGA', 'DESIL', 'KODE_WILAYAH', 'ALAMAT',
    'TGL_MENINGGAL', 'PERIODE_DATA',
  ]);
  const bpnt = new CsvWriter(join(out, FILES.bpnt), ';', DISB_HEADER);
  const pkh = new CsvWriter(join(out, FILES.pkh), ',', DISB_HEADER, { bom: true });
  const bltdd = new CsvWriter(join(out, FILES.bltdd), '\t', DISB_HEADER);
  const blt = new CsvWriter(join(out, FILES.blt), ';', DISB_HEADER);
  const pip = new XlsxWriter(join(out, FILES.pip), 'PENYALURAN PIP', DISB_HEADER, [0, 1, 3, 9, 11]);
  let pipMore: CsvWriter | null = null;
  // Dukcapil export: UTF-16 with BOM (as some Windows tools write it); civil servants: a Windows-1252 legacy export.
  const deaths = new CsvWriter(join(out, FILES.deaths), ';', ['NIK', 'NAMA', 'TGL_MENINGGAL', 'KODE_WILAYAH'], { bom: true, encoding: 'utf16le', eol: '\r\n' });
  const civil = new CsvWriter(join(out, FILES.civil), ';', ['NIK', 'NIP_NRP', 'NAMA', 'INSTANSI', 'KATEGORI'], { encoding: 'latin1', eol: '\r\n' });
  const complaints = new CsvWriter(
    join(out, FILES.complaints),
    ';',
    ['ID_PENGADUAN', 'TGL_PENGADUAN', 'KANAL', 'KATEGORI', 'KODE_WILAYAH', 'NIK', 'STATUS', 'TGL_SELESAI', 'URAIAN'],
    { eol: '\r\n' },
  );
  // File indexes in import order (the contract's "file row number" tie-break follows rec_id = import order).
  const FI = { registry: 0, bpnt: 1, pkh: 2, bltdd: 3, blt: 4, pip: 5, pipMore: 6 };
  const SNAP = snapshotPairFor(seed);
  const earlyDay = dayOf(...SNAP.earlyDate);
  const lateDay = dayOf(...SNAP.lateDate);
  void earlyDay;

  const T = wantTruth
    ? { reg: [] as RegRow[], disb: [] as DisbRow[], deaths: [] as DeathRow[], civil: [] as string[], flags: [] as FlagRow[] }
    : null;
  const lists = new ComparisonLists(out, rng, T ? T.flags : null);
  const writers: { abort(): void }[] = [registry, bpnt, pkh, bltdd, blt, pip, deaths, civil, complaints, ...lists.writers];
  try {
    const planted: Record<string, number> = {};
    for (const p of PLANTS) planted[p] = 0;
    const rejected: Record<string, number> = {};
    // budget sums: program|year|regency -> cents; target households per program|regency
    const realSums = new Map<string, number>();
    const targetKpm = new Map<string, number>();

    // ------------------------------------------------------------------------------- helpers
    const newNik = (distIdx: number, birth: number, female: boolean): string => {
      let d = distIdx;
      for (let tries = 0; tries < nDist; tries++) {
        const slot = (d * NDAYS + (birth - DAY0)) * 2 + (female ? 1 : 0);
        if (nikCounter[slot] < 9999) {
          const serial = ++nikCounter[slot];
          return digits(regions.districts[d].code) + ddmmyy(birth, female) + pad(serial, 4);
        }
        d = (d + 1) % nDist;
      }
      throw new Error('NIK serial space exhausted');
    };
    const newKk = (distIdx: number): string => {
      for (;;) {
        const issue = ISSUE0 + rng.int(NISSUE);
        const slot = distIdx * NISSUE + (issue - ISSUE0);
        if (kkCounter[slot] < 9999) {
          const serial = ++kkCounter[slot];
          return digits(regions.districts[distIdx].code) + ddmmyy(issue, false) + pad(serial, 4);
        }
      }
    };
    const newAccount = (): { bank: string; account: string } => {
      const b = BANKS[rng.weighted([35, 40, 15, 10])];
      accountSeq++;
      return { bank: b.code, account: b.prefix + pad(accountSeq * 7919 % 10 ** (b.len - 1), b.len - 1) };
    };
    const givenName = (female: boolean): string => rng.pick(female ? FEMALE_GIVEN : MALE_GIVEN);
    const personName = (female: boolean): string => {
      const r = rng.next();
      const g = givenName(female);
      if (r < 0.15) return g;
      const fam = rng.pick(female ? FEMALE_FAMILY : MALE_FAMILY);
      if (r < 0.25) return `${g} ${givenName(female)} ${fam}`;
      return `${g} ${fam}`;
    };
    const nikDistrict = (home: number): number => {
      const r = rng.next();
      if (r < 0.94) return home;
      if (r < 0.985) return rng.int(localDistricts.length);
      return localDistricts.length + rng.int(nDist - localDistricts.length);
    };
    const birthBetween = (minAge: number, maxAge: number): number => {
      const lo = Math.max(DAY0, REF_DAY - Math.round((maxAge + 1) * 365.25) + 1);
      const hi = Math.min(DAY0 + NDAYS - 1, REF_DAY - Math.round(minAge * 365.25));
      return lo + rng.int(Math.max(1, hi - lo + 1));
    };
    /** NIP: birth YYYYMMDD + appointment YYYYMM + sex digit + 3-digit serial. */
    const nip = (p: { birth: number; female: boolean }): string => {
      const [y, m, d] = ymd(p.birth);
      return `${y}${pad2(m)}${pad2(d)}${Math.min(2024, y + 22 + rng.int(10))}${pad2(1 + rng.int(12))}${p.female ? 2 : 1}${pad(1 + rng.int(999), 3)}`;
    };
    const nextTxn = (prefix: string): string => `${prefix}${pad(++txnSeq, 9)}`;
    const countPlant = (p: Plant, n = 1): void => {
      planted[p] += n;
    };

    // Which plants go into which household: each kind at least once (spread evenly), then at its rate.
    const forced = new Map<number, Plant[]>();
    const forcedList = (Object.keys(RATES) as Plant[]).filter((p) => RATES[p]! > 0);
    forcedList.forEach((p, k) => {
      const h = Math.min(N - 1, Math.floor(((k + 0.5) * N) / forcedList.length));
      const l = forced.get(h) ?? [];
      l.push(p);
      forced.set(h, l);
    });

    // Shared-account pool: a few agent/pendamping accounts reused by planted recipients of several households.
    let sharedPool: { bank: string; account: string; left: number } | null = null;
    const sharedAccount = (): { bank: string; account: string } => {
      if (!sharedPool || sharedPool.left <= 0) sharedPool = { ...newAccount(), left: 2 + rng.int(3) };
      sharedPool.left--;
      return { bank: sharedPool.bank, account: sharedPool.account };
    };

    // ------------------------------------------------------------------------------- writing
    const registryRow = (p: Person, hh: { kk: string; village: string; address: string; desil: number | null; snap: string }, o: {
      nikRaw?: string; birthRaw?: number; sexFlip?: boolean; death?: number | null; nikCanon?: string;
    } = {}): void => {
      const birth = o.birthRaw ?? p.birth;
      const female = o.sexFlip ? !p.female : p.female;
      const longForm = rng.chance(0.15);
      const sexRaw = rng.chance(0.05) ? (female ? 'PEREMPUAN' : 'LAKI-LAKI') : female ? 'P' : 'L';
      const snapshot = hh.snap;
      if (o.sexFlip || o.birthRaw !== undefined) countPlant('nik_attribute_mismatch');
      registry.row([
        o.nikRaw ?? p.nik,
        hh.kk,
        p.name,
        longForm ? fmtLong(birth) : fmtDMY(birth),
        sexRaw,
        p.rel,
        hh.desil === null ? '' : String(hh.desil),
        hh.village,
        hh.address,
        o.death != null ? fmtDMY(o.death) : '',
        snapshot,
      ]);
      T?.reg.push({
        nik: o.nikCanon ?? p.nik,
        kk: hh.kk,
        name: p.name,
        birth: isoOf(birth),
        sex: female ? 'P' : 'L',
        desil: hh.desil,
        death: o.death != null ? isoOf(o.death) : null,
        snapshot: snapshot.trim() === '' ? null : snapshot.trim(),
      });
    };

    // paid sums per (programme, year of paid_date or '' when undated, village code or '' when empty): the budget
    // lines are written after the loop, each with the sum of the records whose most specific line it is
    const budgetKey = (d: Disb): void => {
      if (d.status !== 'PAID') return;
      const key = `${d.program}|${d.paid === null ? '' : ymd(d.paid)[0]}|${digits(d.village)}`;
      realSums.set(key, (realSums.get(key) ?? 0) + d.rp * 100);
    };
    /** Valid NIKs paid in the current household (candidates for the comparison lists). */
    const hhPaid = new Map<string, string>();

    const disbFields = (d: Disb, style: { amount: (rp: number) => string; date: (day: number) => string; dots: boolean }): string[] => [
      d.nikRaw,
      d.kk,
      d.name,
      style.dots ? d.village : digits(d.village),
      d.programRaw,
      style.amount(d.rp),
      d.periodRaw,
      d.paid === null ? '' : style.date(d.paid),
      d.channel,
      d.account,
      d.statusRaw,
      d.txn,
    ];
    const canon = (d: Disb, file: number, line: number): void => {
      T?.disb.push({
        file, line, nik: d.nik, kk: d.kk, name: d.name, region: digits(d.village), program: d.program,
        cents: d.rp * 100, pkey: d.pkey, paid: d.paid === null ? null : isoOf(d.paid), account: d.account,
        status: d.status, txn: d.txn,
      });
      budgetKey(d);
      if (d.status === 'PAID' && isValidNik(d.nik) && !hhPaid.has(d.nik)) hhPaid.set(d.nik, d.name);
    };
    const writeBpnt = (d: Disb): void => {
      const style = { amount: rng.pick([amtId, amtId, (rp: number) => String(rp), amtIdDec, amtDots]), date: fmtDMY, dots: true };
      canon(d, FI.bpnt, bpnt.row(disbFields(d, style)));
    };
    const writePkh = (d: Disb): void => {
      const style = { amount: rng.chance(0.5) ? amtId : (rp: number) => String(rp), date: (x: number) => isoOf(x), dots: true };
      canon(d, FI.pkh, pkh.row(disbFields(d, style)));
    };
    const writeBltdd = (d: Disb): void => {
      const style = { amount: rng.chance(0.6) ? amtId : amtIdDec, date: (x: number) => fmtDMY(x, '-'), dots: rng.chance(0.5) };
      canon(d, FI.bltdd, bltdd.row(disbFields(d, style)));
    };
    const writeBlt = (d: Disb): void => {
      const style = { amount: amtEn, date: fmtDMY, dots: true };
      canon(d, FI.blt, blt.row(disbFields(d, style)));
    };
    const writePip = (d: Disb, numericNik = false): void => {
      if (pip.rows < xlsxMax) {
        const cells: XlsxCell[] = [
          numericNik ? Number(d.nikRaw) : d.nikRaw, d.kk, d.name, d.village || null, d.programRaw, rng.chance(0.1) ? amtId(d.rp) : d.rp, d.periodRaw,
          d.paid === null ? null : new Date(d.paid * DAY_MS), d.channel, d.account, d.statusRaw, d.txn,
        ];
        const line = pip.row(cells, [numericNik ? '0' : undefined, undefined, undefined, undefined, undefined, '"Rp "#,##0', undefined, 'dd/mm/yyyy']);
        canon(d, FI.pip, line);
      } else {
        if (!pipMore) {
        pipMore = new CsvWriter(join(out, FILES.pipMore), ';', DISB_HEADER);
        writers.push(pipMore);
      }
        canon(d, FI.pipMore, pipMore.row(disbFields(d, { amount: amtId, date: fmtDMY, dots: true })));
      }
    };

    const statusDraw = (): { raw: string; status: string } => {
      const r = rng.next();
      if (r < 0.02) return { raw: rng.pick(['GAGAL', 'GAGAL SALUR', 'Gagal']), status: 'FAILED' };
      if (r < 0.035) return { raw: rng.pick(['RETUR', 'DIKEMBALIKAN']), status: 'RETURNED' };
      if (r < 0.04) return { raw: 'DALAM PROSES', status: 'DALAM PROSES' };
      if (r < 0.06) return { raw: '', status: 'PAID' };
      if (r < 0.08) return { raw: rng.pick(['SUKSES', 'tersalur', ' TERSALUR ', 'BERHASIL']), status: 'PAID' };
      return { raw: 'TERSALUR', status: 'PAID' };
    };
    const monthDay = (y: number, m: number, lo = 3, hi = 26): number => dayOf(y, m, lo + rng.int(hi - lo + 1));
    const monthPeriod = (y: number, m: number, allowEmpty: boolean): string => {
      const r = rng.next();
      if (allowEmpty && r < 0.08) return '';
      if (r < 0.55) return `${y}-${pad2(m)}`;
      return `${MONTHS_ID[m - 1]} ${y}`;
    };

    // ------------------------------------------------------------------------------- household loop
    const regencyWeights = regions.regencies.map((r) => localDistricts.filter((d) => d.regency === r.code).length);
    const districtsOf = new Map<string, number[]>();
    localDistricts.forEach((d, i) => districtsOf.set(d.regency, [...(districtsOf.get(d.regency) ?? []), i]));
    let complaintSeq = 0;
    let pendingNumericNik = 0;
    for (let h = 0; h < N; h++) {
      if ((h & 1023) === 0) {
        if (opts.signal?.aborted) throw opts.signal.reason ?? new Error('demo generation cancelled');
        opts.onProgress?.({ phase: 'households', households: h, total: N });
        await new Promise<void>((r) => setImmediate(r)); // lets the XLSX zip stream drain
      }
      hhPaid.clear();
      // Plants for this household
      const plants = new Set<Plant>(forced.get(h) ?? []);
      for (const p of forcedList) if (rng.chance(RATES[p]! * plantRate)) plants.add(p);
      if (plants.has('xlsx_numeric_nik')) pendingNumericNik++; // consumed by the next PIP record

      // Region
      const reg = regions.regencies[rng.weighted(regencyWeights)];
      const distIdx = rng.pick(districtsOf.get(reg.code)!);
      const district = regions.districts[distIdx];
      const village = rng.pick(district.villages);
      const address = `KP. ${rng.pick(KAMPUNG)} RT ${pad(1 + rng.int(12), 3)}/RW ${pad(1 + rng.int(8), 3)} DS. ${village.name.toUpperCase()}`;
      const desil = rng.chance(0.02) ? null : 1 + rng.weighted(DESIL_WEIGHTS);

      // Members
      const size = 1 + rng.weighted(SIZE_WEIGHTS);
      const members: Person[] = [];
      const femaleHead = size === 1 ? rng.chance(0.55) : rng.chance(0.12);
      const headBirth = size === 1 ? birthBetween(25, 85) : birthBetween(24, 72);
      const mk = (female: boolean, birth: number, rel: Person['rel']): Person => {
        const d = nikDistrict(distIdx);
        return { nik: newNik(d, birth, female), name: personName(female), birth, female, rel, distIdx: d };
      };
      members.push(mk(femaleHead, headBirth, 'KEPALA KELUARGA'));
      if (size >= 2 && !femaleHead) {
        const sb = Math.min(DAY0 + NDAYS - 1, Math.max(DAY0, headBirth + rng.range(-3 * 365, 8 * 365)));
        members.push(mk(true, sb, 'ISTRI'));
      }
      const headAge = ageOn(headBirth, REF_DAY);
      while (members.length < size) {
        if (members.length === size - 1 && size >= 4 && rng.chance(0.15) && headAge < 60) {
          members.push(mk(rng.chance(0.6), birthBetween(headAge + 20, Math.min(89, headAge + 35)), 'ORANG TUA'));
        } else {
          const maxChildAge = Math.max(0, Math.min(30, headAge - 18));
          members.push(mk(rng.chance(0.5), birthBetween(0, maxChildAge), 'ANAK'));
        }
      }
      const emptyKk = size === 1 && rng.chance(0.05) && !plants.has('registry_duplicate_nik');
      const kk = emptyKk ? '' : newKk(distIdx);
      const acc = newAccount();
      const hh: Household = { idx: h, kk, district, distIdx, village, desil, members, address, account: acc.account, bank: acc.bank };
      const mother = members.find((m) => m.rel === 'ISTRI') ?? members[0];
      const head = members[0];
      const ages = members.map((m) => ageOn(m.birth, REF_DAY));

      // Enrolment by desil
      const poor = desil !== null && desil <= 4;
      const mid = desil !== null && desil >= 5 && desil <= 6;
      const enrol = (a: number, b: number, c: number): boolean => rng.chance(poor ? a : mid ? b : c);
      const pkhComponents: number[] = [];
      members.forEach((m, i) => {
        const a = ages[i];
        if (a <= 6) pkhComponents.push(3_000_000);
        else if (a <= 12) pkhComponents.push(900_000);
        else if (a <= 15) pkhComponents.push(1_500_000);
        else if (a <= 18) pkhComponents.push(2_000_000);
        else if (a >= 70) pkhComponents.push(2_400_000);
      });
      if (rng.chance(0.02)) pkhComponents.push(2_400_000); // severe disability
      let inPkh = pkhComponents.length > 0 && enrol(0.45, 0.05, 0.01);
      let inBpnt = enrol(0.55, 0.08, 0.02);
      let inBlt = enrol(0.2, 0.03, 0.01);
      let inBltdd = !inPkh && !inBpnt && enrol(0.3, 0.06, 0.01);
      for (const pl of plants) if (NEEDS_BPNT.has(pl)) inBpnt = true;
      if (plants.has('program_overlap')) {
        inBltdd = true;
        if (!inPkh && !inBpnt) {
          if (pkhComponents.length > 0) inPkh = true;
          else inBpnt = true;
        }
      }
      if (plants.has('civil_servant') && !inBltdd && !inBlt) inBlt = true;
      // contract-2 plants that need a BPNT (or BLT_DD) payment; a flagged recipient needs any payment
      if ((plants.has('stage_overpayment') || plants.has('stage_underpayment') || plants.has('period_not_evaluated')) && !inBltdd) inBpnt = true;
      if ((plants.has('flagged_recipient') || plants.has('flag_multi_list')) && !inBpnt && !inPkh && !inBltdd && !inBlt) inBpnt = true;
      if (inBpnt || inPkh || inBltdd || inBlt) if (desil !== null && desil > 4) countPlant('ineligible_desil');

      // Registry snapshots (contract 2): the earlier snapshot holds every household except the ones registered only
      // in the later one; the later snapshot (the quarterly update) re-verified LATER_PRESENT of them, some with
      // another desil. Enrolment above followed the earlier snapshot.
      const laterOnly = plants.has('registry_later_only');
      if (laterOnly) countPlant('registry_later_only');
      const graduate = !laterOnly && desil !== null && desil <= 4 && rng.chance(Math.min(0.5, GRADUATE_RATE * plantRate));
      const fallIn = !laterOnly && desil !== null && desil > 4 && rng.chance(Math.min(0.5, FALL_IN_RATE * plantRate));
      const presentLater = laterOnly || graduate || fallIn || rng.chance(LATER_PRESENT);
      let laterDesil = desil;
      if (graduate) laterDesil = 5 + rng.int(3);
      else if (fallIn) laterDesil = 2 + rng.int(3);
      else if (!laterOnly && desil !== null && rng.chance(0.1)) laterDesil = Math.min(10, Math.max(1, desil + (rng.chance(0.5) ? 1 : -1)));
      if (graduate) countPlant('graduated');
      if (fallIn) countPlant('fell_in');
      // A graduated household whose exit was enforced: no payment dated on or after the later snapshot.
      const exitDay = graduate && plants.size === 0 && rng.chance(0.25) ? lateDay : null;
      if (exitDay !== null) countPlant('graduated_exit_enforced');
      // A household that fell in became a BPNT recipient from the update on.
      const bpntFrom = fallIn && !inBpnt && plants.size === 0 && rng.chance(0.5) ? lateDay : null;
      if (bpntFrom !== null) inBpnt = true;
      /** Whether a payment on this day is made at all (exit enforced / enrolled from the update). */
      const paysOn = (day: number | null, prog: string): boolean =>
        day === null || ((exitDay === null || day < exitDay) && (prog !== 'BPNT' || bpntFrom === null || day >= bpntFrom));
      // Payments without paid_date (judged by the period key's first day): graduated BPNT households, one month
      // before and one after the later snapshot.
      const undated = graduate && plants.size === 0 && exitDay === null && rng.chance(0.5);

      // Deaths: the BPNT recipient (planted) or an elderly non-recipient (background)
      const deathsRows: { p: Person; day: number }[] = [];
      let regDeath: number | null = null;
      let recipientDeath: number | null = null; // earliest death date of the BPNT recipient
      let deathVariant: Plant | null = null;
      for (const v of ['deceased', 'deceased_on_death_date', 'deceased_two_dates', 'deceased_registry_date', 'deceased_no_paid_date'] as Plant[])
        if (plants.has(v)) deathVariant = v;
      // BPNT months and paid days (decided up-front so a death can fall exactly on a paid date)
      const bpntDays = [1, 2, 3, 4, 5, 6].map((m) => monthDay(2025, m));
      if (deathVariant) {
        countPlant(deathVariant);
        if (deathVariant === 'deceased_on_death_date') {
          recipientDeath = bpntDays[2];
          deathsRows.push({ p: mother, day: recipientDeath });
        } else if (deathVariant === 'deceased_two_dates') {
          recipientDeath = bpntDays[1] + 3;
          deathsRows.push({ p: mother, day: bpntDays[3] + 2 }, { p: mother, day: recipientDeath });
        } else if (deathVariant === 'deceased_registry_date') {
          recipientDeath = bpntDays[2] - 1;
          regDeath = recipientDeath;
          deathsRows.push({ p: mother, day: bpntDays[4] });
        } else {
          recipientDeath = bpntDays[2] - 2;
          deathsRows.push({ p: mother, day: recipientDeath });
        }
      }
      const elderly = members.findIndex((m, i) => ages[i] >= 65 && m !== mother && m !== head);
      if (elderly >= 0 && rng.chance(0.08)) deathsRows.push({ p: members[elderly], day: dayOf(2024, 1, 1) + rng.int(540) });

      // Registry rows (with registry-side plants)
      const nikOf = new Map<Person, { raw: string; canon: string }>();
      if (plants.has('registry_invalid_nik')) {
        // DTKS-style invalid NIK for the BPNT recipient: used the same way on the disbursement side.
        const v = rng.int(3);
        const bad = v === 0 ? mother.nik.slice(0, 12) + '0000' : v === 1 ? mother.nik.slice(0, 15) : mother.nik.slice(0, 8) + '13' + mother.nik.slice(10);
        nikOf.set(mother, { raw: bad, canon: bad });
        countPlant('registry_invalid_nik');
      }
      const hhRow = {
        kk, village: village.code, address: rng.chance(0.01) ? `${address}; BLOK ${1 + rng.int(9)}` : address, desil,
        snap: laterOnly ? SNAP.late : SNAP.early,
      };
      const attrVictim = plants.has('nik_attribute_mismatch') ? members[rng.int(members.length)] : null;
      const optsOf = new Map<Person, Parameters<typeof registryRow>[2]>();
      for (const m of members) {
        const o: Parameters<typeof registryRow>[2] = {};
        optsOf.set(m, o);
        const bad = nikOf.get(m);
        if (bad) {
          o.nikRaw = bad.raw;
          o.nikCanon = bad.canon;
        }
        if (m === mother && regDeath !== null) o.death = regDeath;
        if (m === attrVictim && !bad) {
          const v = rng.int(3);
          if (v === 0) o.sexFlip = true;
          else if (v === 1) o.birthRaw = m.birth + (rng.chance(0.5) ? 1 : -1) * (1 + rng.int(3));
          else o.birthRaw = m.birth + 365 * (rng.chance(0.5) ? 1 : -1) * (1 + rng.int(2));
          if (o.birthRaw !== undefined && (o.birthRaw < DAY0 || o.birthRaw >= DAY0 + NDAYS)) o.birthRaw = m.birth + 2;
        }
        if (m === mother && plants.has('nik_apostrophe') && !bad) o.nikRaw = `'${m.nik}`;
        registryRow(m, hhRow, o);
      }
      if (plants.has('registry_duplicate_nik')) {
        const victim = members[rng.int(members.length)];
        const bad = nikOf.get(victim);
        if (rng.chance(0.5)) {
          // Exact repeat of the row (double entry).
          registryRow(victim, hhRow, bad ? { nikRaw: bad.raw, nikCanon: bad.canon } : {});
        } else {
          // Same person listed again under another (newer) KK with another desil (higher or lower: the lowest
          // counts) and the name written differently (comparisons use the first row's name).
          const newDesil = desil === null ? 5 : rng.chance(0.5) ? Math.min(10, desil + 1 + rng.int(3)) : Math.max(1, desil - 2 - rng.int(3));
          const moved = { kk: newKk(distIdx), village: village.code, address: `${address} (PINDAH)`, desil: newDesil, snap: hhRow.snap };
          const alias = { ...victim, name: `${victim.name} ${rng.pick(victim.female ? FEMALE_FAMILY : MALE_FAMILY)} ${rng.pick(MALE_GIVEN)}` };
          registryRow(rng.chance(0.6) ? alias : victim, moved, bad ? { nikRaw: bad.raw, nikCanon: bad.canon } : {});
        }
        countPlant('registry_duplicate_nik');
      }
      // Identity duplicate: the BPNT recipient registered a second time under another NIK (same birth date).
      let twin: { nik: string; name: string; kk: string; account: string; bank: string } | null = null;
      if (plants.has('identity_duplicate')) {
        const base = nameNorm(mother.name);
        const variants = [
          base.replace(/MM/, 'M'), base.replace(/H\b/, ''), base.replace(/AH\b/, 'A'), base.replace(/I\b/, 'IH'),
          base.replace(/Y/, 'I'), base.replace(/(\w)$/, '$1$1'), base + 'H', base.replace(/ /, '  '),
        ].filter((v) => v !== base && jaroWinkler(nameNorm(v), base) >= 0.92);
        const name = variants.length ? variants[rng.int(variants.length)] : base;
        const d2 = localDistricts.length + rng.int(nDist - localDistricts.length);
        const nik2 = newNik(d2, mother.birth, mother.female);
        const kk2 = newKk(distIdx);
        const a2 = rng.chance(0.5) ? { account: acc.account, bank: acc.bank } : newAccount();
        twin = { nik: nik2, name, kk: kk2, ...a2 };
        registryRow({ ...mother, nik: nik2, name, rel: 'KEPALA KELUARGA' }, { kk: kk2, village: village.code, address, desil: desil === null ? 3 : Math.max(1, desil - 1), snap: hhRow.snap });
        countPlant('identity_duplicate');
      }
      // The later snapshot: the household again (same NIKs: not registry duplicates), without a member who moved
      // out, with a baby registered since; or, for a household registered only now, its double entry.
      if (presentLater) {
        const laterRow = { ...hhRow, desil: laterDesil, snap: SNAP.late };
        let written = members;
        if (!laterOnly) {
          const leaver = members.length > 2 && rng.chance(0.06) ? members.find((m, i) => m.rel === 'ANAK' && ages[i] >= 19 && m !== mother) ?? null : null;
          written = members.filter((m) => m !== leaver);
          for (const m of written) registryRow(m, laterRow, optsOf.get(m));
          if (members.length >= 2 && headAge < 45 && rng.chance(0.05)) {
            const female = rng.chance(0.5);
            const b = dayOf(2024, 10, 1) + rng.int(90);
            const fam = head.name.split(' ').slice(-1)[0];
            registryRow({ nik: newNik(distIdx, b, female), name: `${givenName(female)} ${fam}`, birth: b, female, rel: 'ANAK', distIdx }, laterRow);
          }
        }
        if (plants.has('registry_duplicate_later')) {
          const victim = written[rng.int(written.length)];
          registryRow(victim, laterRow, optsOf.get(victim));
          countPlant('registry_duplicate_later');
        }
      }

      // Deaths extract rows
      for (const d of deathsRows) {
        const r = nikOf.get(d.p);
        const nikCanon = r ? r.canon : d.p.nik;
        const form = rng.next();
        deaths.row([r ? r.raw : d.p.nik, d.p.name, form < 0.6 ? isoOf(d.day) : form < 0.85 ? fmtDMY(d.day, '-') : fmtLong(d.day), village.code]);
        T?.deaths.push({ nik: nikCanon, date: isoOf(d.day) });
      }

      // Civil servants: background (well-off heads) and planted recipients
      if (desil !== null && desil >= 6 && ages[0] < 58 && rng.chance(0.12)) {
        civil.row([head.nik, nip(head), head.name, `${rng.pick(INSTANSI)} ${reg.name.replace('Kabupaten ', '').toUpperCase()}`, 'ASN']);
        T?.civil.push(head.nik);
      }
      if (plants.has('civil_servant')) {
        const cat = rng.pick(['ASN', 'ASN', 'TNI', 'POLRI']);
        const inst = cat === 'ASN' ? rng.pick(INSTANSI) : cat === 'TNI' ? rng.pick(INSTANSI_TNI) : rng.pick(INSTANSI_POLRI);
        civil.row([head.nik, cat === 'ASN' ? nip(head) : pad(60000000 + rng.int(39999999), 8), head.name, inst, cat]);
        T?.civil.push(head.nik);
        countPlant('civil_servant');
      }

      const recipientNik = (m: Person): { raw: string; canon: string } => nikOf.get(m) ?? { raw: m.nik, canon: m.nik };
      const kab = digits(district.regency);
      const countKpm = (prog: string): void => {
        const k = `${prog}|${kab}`;
        targetKpm.set(k, (targetKpm.get(k) ?? 0) + 1);
      };

      // ---- BPNT (monthly Jan–Jun 2025 to the mother's account, or per three-month stage through PT Pos)
      const monthlyPlants = [...plants].some((pl) => NEEDS_BPNT.has(pl));
      let stagePlant: 'stage_overpayment' | 'stage_underpayment' | null =
        monthlyPlants ? null : plants.has('stage_overpayment') ? 'stage_overpayment' : plants.has('stage_underpayment') ? 'stage_underpayment' : null;
      let susulanDone = !plants.has('period_not_evaluated');
      /** A catch-up (`SUSULAN`) record for a failed payment: a period key that is neither a month nor a stage. */
      const susulan = (d: Disb, stage: boolean, write: (x: Disb) => void): void => {
        const [, m] = ymd(d.paid ?? bpntDays[0]);
        const periodRaw = stage
          ? rng.pick([`SUSULAN TAHAP ${d.pkey.slice(-1)} 2025`, 'SUSULAN 2025'])
          : rng.pick(['SUSULAN 2025', 'Susulan  2025', `SUSULAN BULAN ${MONTHS_ID[m - 1].toUpperCase()} 2025`, 'RAPEL SUSULAN 2025']);
        write({
          ...d, periodRaw, pkey: periodRaw.toUpperCase().replace(/\s+/g, ' '), paid: monthDay(2025, 7), status: 'PAID', statusRaw: 'TERSALUR',
          txn: nextTxn(d.txn.slice(0, -9)),
        });
        susulanDone = true;
        countPlant('period_not_evaluated');
      };
      if (inBpnt && !monthlyPlants && (stagePlant !== null || rng.chance(0.3))) {
        countKpm('BPNT');
        const rn = recipientNik(mother);
        const progRaw = rng.pick(['SEMBAKO', 'BPNT', 'PROGRAM SEMBAKO', 'Sembako']);
        const wrong = 1 + rng.int(2);
        const failT = susulanDone ? 0 : 1 + rng.int(2);
        for (const t of [1, 2]) {
          const day = bpntDays[t * 3 - 1] + rng.int(3); // March / June
          if (!paysOn(day, 'BPNT')) continue;
          const st = statusDraw();
          const d: Disb = {
            nikRaw: rn.raw, nik: rn.canon, kk, name: mother.name, village: village.code, programRaw: progRaw, program: 'BPNT',
            rp: 600_000, periodRaw: rng.chance(0.7) ? `TAHAP ${t} 2025` : `Tahap ${t} 2025`, pkey: `2025-T${t}`, paid: day,
            channel: 'PT POS', account: '', statusRaw: st.raw, status: st.status, txn: nextTxn('BPNT25'),
          };
          if (t === wrong && stagePlant) {
            // a stage paid for four or six months, or for one or two
            d.rp = stagePlant === 'stage_overpayment' ? rng.pick([800_000, 1_200_000]) : rng.pick([200_000, 400_000]);
            d.status = 'PAID';
            d.statusRaw = 'TERSALUR';
            countPlant(stagePlant);
          }
          if (t === 2 && undated) {
            // paid_date missing: judged by the first day of TAHAP 2 (April)
            d.paid = null;
            d.status = 'PAID';
            d.statusRaw = 'TERSALUR';
            countPlant('undated_payment');
          }
          if (t === failT) {
            d.status = 'FAILED';
            d.statusRaw = 'GAGAL';
          }
          if (d.status === 'PAID' && d.rp === 600_000) countPlant('bpnt_stage');
          if (d.status === 'FAILED' || d.status === 'RETURNED') countPlant('undistributed');
          writeBpnt(d);
          if (t === failT) susulan(d, true, writeBpnt);
        }
        if (stagePlant) stagePlant = null;
      } else if (inBpnt) {
        countKpm('BPNT');
        const rn = recipientNik(mother);
        const progRaw = rng.pick(['SEMBAKO', 'BPNT', 'PROGRAM SEMBAKO', 'Sembako']);
        const account = plants.has('shared_account') ? sharedAccount() : { account: acc.account, bank: acc.bank };
        if (plants.has('shared_account')) countPlant('shared_account');
        const plantMonth = 1 + rng.int(6);
        let nullDateDone = false;
        // a graduated household paid on the later snapshot's effective date itself (the later desil is in force)
        if (graduate && plants.size === 0 && rng.chance(0.3)) bpntDays[ymd(lateDay)[1] - 1] = lateDay;
        // a month that failed and was paid later as SUSULAN (away from the months other plants use)
        const failable = [1, 2, 3, 4, 5, 6].filter((x) => x !== plantMonth && x !== plantMonth + 1);
        const failM = susulanDone || deathVariant ? 0 : failable[rng.int(failable.length)];
        for (let m = 1; m <= 6; m++) {
          const paidDay = bpntDays[m - 1];
          if (!paysOn(paidDay, 'BPNT')) continue;
          const st = statusDraw();
          const d: Disb = {
            nikRaw: rn.raw, nik: rn.canon, kk, name: mother.name, village: village.code, programRaw: progRaw, program: 'BPNT',
            rp: 200_000, periodRaw: monthPeriod(2025, m, true), pkey: `2025-${pad2(m)}`, paid: paidDay,
            channel: account.bank, account: account.account, statusRaw: st.raw, status: st.status, txn: nextTxn('BPNT25'),
          };
          // Name forms on the payment list (background variation)
          const nr = rng.next();
          if (nr < 0.04) d.name = d.name.split(' ')[0];
          else if (nr < 0.07) d.name = d.name.replace(/\b(\w)(\w+)/g, (_, a: string, b: string) => a + b.toLowerCase());
          else if (nr < 0.09) d.name = d.name.replace(/^SITI\b/, 'ST.').replace(/^MUHAMMAD\b/, 'M.').replace(/^NUR\b/, 'NURUL');
          else if (nr < 0.1) d.name = nameNorm(d.name); // apostrophes/accents dropped by the bank system
          else if (nr < 0.11) d.name = `HJ. ${d.name}`;
          if (deathVariant === 'deceased_no_paid_date' && m === 4 && !nullDateDone) {
            d.paid = null;
            d.status = 'PAID';
            d.statusRaw = 'TERSALUR';
            d.periodRaw = `${MONTHS_ID[3]} 2025`;
            nullDateDone = true;
          }
          if (deathVariant && m >= 3) {
            // keep the deceased recipient's later payments paid (the point of the plant)
            d.status = 'PAID';
            d.statusRaw = 'TERSALUR';
          }
          if (m === plantMonth) {
            if (plants.has('nik_invalid') && !nikOf.has(mother)) {
              const v = rng.int(6);
              const n = mother.nik;
              d.nikRaw =
                v === 0 ? n.slice(0, 15)
                : v === 1 ? n.slice(0, 8) + '13' + n.slice(10)
                : v === 2 ? '99' + n.slice(2)
                : v === 3 ? n.slice(0, 12) + '0000'
                : v === 4 ? n.slice(0, 4) + ' ' + n.slice(4)
                : n.slice(0, 6) + (mother.female ? '72' : '32') + n.slice(8);
              d.nik = d.nikRaw;
              d.status = 'PAID';
              d.statusRaw = 'TERSALUR';
              countPlant('nik_invalid');
            }
            if (plants.has('nik_sci_notation')) {
              const n = mother.nik;
              d.nikRaw = `${n[0]}.${n.slice(1, 6)}E+15`;
              d.nik = d.nikRaw;
              d.status = 'PAID';
              d.statusRaw = 'TERSALUR';
              countPlant('nik_sci_notation');
            }
            if (plants.has('nik_apostrophe') && !nikOf.has(mother)) {
              // (after a NIK plant above, this record gets the recipient's real NIK back: raw and canonical together)
              d.nikRaw = rng.chance(0.5) ? `'${mother.nik}` : ` '${mother.nik} `;
              d.nik = mother.nik;
              countPlant('nik_apostrophe');
            }
            if (plants.has('name_mismatch')) {
              d.name = personName(!mother.female);
              d.status = 'PAID';
              d.statusRaw = 'TERSALUR';
              countPlant('name_mismatch');
            }
            if (plants.has('name_missing')) {
              // no name on the list (empty or a dash): cannot be compared with the registry name
              d.name = rng.chance(0.5) ? '' : '-';
              d.status = 'PAID';
              d.statusRaw = 'TERSALUR';
              countPlant('name_missing');
            }
            if (plants.has('overpayment')) {
              d.rp = 400_000;
              d.status = 'PAID';
              d.statusRaw = 'TERSALUR';
              countPlant('overpayment');
            } else if (plants.has('underpayment')) {
              d.rp = 150_000;
              d.status = 'PAID';
              d.statusRaw = 'TERSALUR';
              countPlant('underpayment');
            }
          }
          if (m === plantMonth && plants.has('duplicate_payment')) {
            d.status = 'PAID';
            d.statusRaw = 'TERSALUR';
          }
          if (undated && (m === 2 || m === 5)) {
            // paid_date missing: judged by the first day of the period key's month (before / after the later snapshot)
            d.paid = null;
            d.periodRaw = m === 2 ? '2025-02' : `${MONTHS_ID[4]} 2025`;
            d.status = 'PAID';
            d.statusRaw = 'TERSALUR';
            countPlant('undated_payment');
          } else if (plants.size === 0 && d.village !== '' && rng.chance(0.01)) {
            d.village = ''; // KODE_WILAYAH missing on the bank's list: only a budget line without region takes it
            countPlant('no_region');
          }
          if (m === failM) {
            d.status = 'FAILED';
            d.statusRaw = 'GAGAL';
          }
          if (d.status === 'FAILED' || d.status === 'RETURNED') countPlant('undistributed');
          if (m === plantMonth && plants.has('duplicate_payment')) {
            // Paid twice for the same month: another transaction, the period written another way.
            const v = rng.int(3);
            const dd: Disb = {
              ...d, status: 'PAID', statusRaw: 'TERSALUR', txn: v === 0 && rng.chance(0.4) ? d.txn : nextTxn('BPNT25'),
              periodRaw: d.periodRaw.includes('-') ? `${MONTHS_ID[m - 1]} 2025` : `2025-${pad2(m)}`,
              paid: d.paid === null ? null : Math.min(d.paid + 1 + rng.int(4), dayOf(2025, m, 28)),
            };
            if (v === 1) {
              // listed first in the file but paid later and for 400.000: the record after the first is this one
              dd.rp = 400_000;
              countPlant('overpayment');
            } else if (v === 2) {
              // same paid date; the later-listed record has the smaller transaction id, so it is "first"
              dd.paid = d.paid;
              dd.txn = d.txn + 'B';
              dd.rp = 250_000;
              countPlant('overpayment');
            }
            if (v === 0) {
              writeBpnt(d);
              writeBpnt(dd);
            } else {
              writeBpnt(dd);
              writeBpnt(d);
            }
            countPlant('duplicate_payment');
          } else writeBpnt(d);
          if (m === failM) susulan(d, false, writeBpnt);
          if (m >= plantMonth && m < plantMonth + 2 && plants.has('household_duplicate')) {
            // Another member of the same KK also on the list for the same month.
            const other = members.find((x) => x !== mother && ages[members.indexOf(x)] >= 17) ?? null;
            if (other) {
              const ownAcc = rng.chance(0.5);
              const a2 = ownAcc ? newAccount() : account;
              const useEmptyKk = rng.chance(0.3) && !plants.has('registry_duplicate_nik');
              writeBpnt({
                ...d, nikRaw: other.nik, nik: other.nik, kk: useEmptyKk ? '' : kk, name: other.name, status: 'PAID',
                statusRaw: 'TERSALUR', txn: nextTxn('BPNT25'), paid: (d.paid ?? bpntDays[m - 1]) + (rng.chance(0.5) ? 1 : -1) * (1 + rng.int(2)), channel: a2.bank, account: a2.account,
                periodRaw: monthPeriod(2025, m, false),
              });
              countPlant('household_duplicate');
            }
          }
        }
        if (plants.has('rejected_row')) {
          // Lines the importer must reject (required field missing / unparseable), kept in the count of rows read.
          bpnt.row([
            '', kk, mother.name, village.code, progRaw, 'Rp 200.000', '2025-06', fmtDMY(bpntDays[5]), account.bank, account.account, 'TERSALUR', nextTxn('BPNT25'),
          ]);
          bpnt.row([
            mother.nik, kk, mother.name, village.code, progRaw, 'N/A', '2025-06', fmtDMY(bpntDays[5]), account.bank, account.account, 'TERSALUR', nextTxn('BPNT25'),
          ]);
          rejected.bpnt = (rejected.bpnt ?? 0) + 2;
          countPlant('rejected_row', 2);
        }
        if (twin) {
          for (let m = 2; m <= 6; m++) {
            writeBpnt({
              nikRaw: twin.nik, nik: twin.nik, kk: twin.kk, name: twin.name, village: village.code, programRaw: progRaw,
              program: 'BPNT', rp: 200_000, periodRaw: monthPeriod(2025, m, false), pkey: `2025-${pad2(m)}`,
              paid: monthDay(2025, m), channel: twin.bank, account: twin.account, statusRaw: 'TERSALUR', status: 'PAID', txn: nextTxn('BPNT25'),
            });
          }
        }
      }

      // ---- PKH (TAHAP 1 and 2 of 2025, component-based, to the mother)
      if (inPkh) {
        countKpm('PKH');
        const comps = pkhComponents.sort((a, b) => b - a).slice(0, 4);
        const stage = comps.reduce((a, b) => a + b, 0) / 4;
        const rn = recipientNik(mother);
        for (const t of [1, 2]) {
          const paid = t === 1 ? monthDay(2025, 3) : monthDay(2025, 6);
          if (!paysOn(paid, 'PKH')) continue;
          const st = statusDraw();
          const d: Disb = {
            nikRaw: rn.raw, nik: rn.canon, kk, name: mother.name, village: village.code, programRaw: 'PKH', program: 'PKH',
            rp: stage, periodRaw: `TAHAP ${t} 2025`, pkey: `2025-T${t}`, paid,
            channel: acc.bank, account: acc.account, statusRaw: st.raw, status: st.status, txn: nextTxn('PKH25'),
          };
          if (d.status === 'FAILED' || d.status === 'RETURNED') countPlant('undistributed');
          writePkh(d);
          if (t === 2 && plants.has('duplicate_payment') && rng.chance(0.4) && d.status === 'PAID') {
            writePkh({ ...d, status: 'PAID', statusRaw: 'TERSALUR', txn: nextTxn('PKH25'), paid: d.paid! + 7 });
            countPlant('duplicate_payment');
          }
        }
      }

      // ---- BLT Dana Desa (monthly Jan–Jun 2025 to the head, or per three-month stage; some also Dec 2024), cash
      // through the village
      if (inBltdd) {
        countKpm('BLT_DD');
        const progRaw = rng.pick(['BLT DESA', 'BLT DANA DESA', 'BLTDD', 'BLT Desa']);
        const progCanon = 'BLT_DD';
        if (plants.has('program_overlap')) countPlant('program_overlap');
        const stageMode = stagePlant !== null || rng.chance(0.25);
        const periods: { y: number; m: number; t: number }[] = []; // t: stage number, 0 = a month
        if (rng.chance(0.2)) periods.push({ y: 2024, m: 12, t: 0 });
        if (stageMode) periods.push({ y: 2025, m: 3, t: 1 }, { y: 2025, m: 6, t: 2 });
        else for (let m = 1; m <= 6; m++) periods.push({ y: 2025, m, t: 0 });
        const plantMonth = 1 + rng.int(6);
        const wrong = 1 + rng.int(2);
        const failable = periods
          .map((p, k) => ({ ...p, k }))
          .filter((p) => p.y === 2025 && !(p.t === 0 && p.m === plantMonth) && !(p.t !== 0 && p.t === wrong && stagePlant));
        const failIdx = susulanDone || !failable.length ? -1 : failable[rng.int(failable.length)].k;
        for (const [k, { y, m, t }] of periods.entries()) {
          const paid = monthDay(y, m, 8, 28);
          if (!paysOn(paid, 'BLT_DD')) continue;
          const st = statusDraw();
          const d: Disb = {
            nikRaw: head.nik, nik: head.nik, kk, name: head.name, village: village.code, programRaw: progRaw, program: progCanon,
            rp: t ? 900_000 : 300_000, periodRaw: t ? `TAHAP ${t} ${y}` : monthPeriod(y, m, false), pkey: t ? `${y}-T${t}` : `${y}-${pad2(m)}`,
            paid, channel: 'TUNAI DESA', account: '', statusRaw: st.raw, status: st.status, txn: nextTxn(`BLTDD${y % 100}`),
          };
          if (plants.has('civil_servant')) {
            d.status = 'PAID';
            d.statusRaw = 'TERSALUR';
          }
          if (t === 0 && y === 2025 && m === plantMonth && !plants.has('overpayment') && !plants.has('underpayment')) {
            const r = rng.next();
            if (r < 0.02) {
              d.rp = 600_000;
              countPlant('overpayment');
            } else if (r < 0.04) {
              d.rp = 250_000;
              countPlant('underpayment');
            }
          }
          if (t !== 0 && t === wrong && stagePlant) {
            d.rp = stagePlant === 'stage_overpayment' ? 1_200_000 : 600_000;
            d.status = 'PAID';
            d.statusRaw = 'TERSALUR';
            countPlant(stagePlant);
          }
          if (k === failIdx) {
            d.status = 'FAILED';
            d.statusRaw = 'GAGAL';
          }
          if (t !== 0 && d.status === 'PAID' && d.rp === 900_000) countPlant('bltdd_stage');
          if (d.status === 'FAILED' || d.status === 'RETURNED') countPlant('undistributed');
          writeBltdd(d);
          if (k === failIdx) susulan(d, t !== 0, writeBltdd);
        }
      }

      // ---- BLT (two stages, English-formatted amounts, through PT Pos, to the head)
      if (inBlt) {
        countKpm('BLT');
        const progRaw = rng.pick(['BLT', 'BST', 'BANSOS TUNAI', 'BLT BBM']);
        for (const t of [1, 2]) {
          const paid = t === 1 ? monthDay(2025, 4) : monthDay(2025, 6);
          if (!paysOn(paid, 'BLT')) continue;
          const st = statusDraw();
          const d: Disb = {
            nikRaw: head.nik, nik: head.nik, kk, name: head.name, village: village.code, programRaw: progRaw, program: 'BLT',
            rp: 600_000, periodRaw: `Tahap ${t} 2025`, pkey: `2025-T${t}`, paid,
            channel: 'PT POS', account: '', statusRaw: st.raw, status: st.status, txn: nextTxn('BLT25'),
          };
          if (plants.has('civil_servant')) {
            d.status = 'PAID';
            d.statusRaw = 'TERSALUR';
          }
          if (d.status === 'FAILED' || d.status === 'RETURNED') countPlant('undistributed');
          writeBlt(d);
        }
      }

      // ---- PIP (individual: school-age children, own BRI SimPel account, XLSX)
      members.forEach((m, i) => {
        const a = ages[i];
        if (m.rel !== 'ANAK' || a < 7 || a > 18) return;
        if (!enrol(0.4, 0.1, 0.02)) return;
        countKpm('PIP');
        const rp = a <= 12 ? 450_000 : a <= 15 ? 750_000 : 1_800_000;
        const t = rng.chance(0.7) ? 1 : 2;
        const st = statusDraw();
        const own = newAccount();
        const damaged = pendingNumericNik > 0;
        if (damaged) pendingNumericNik--;
        const nikRaw = damaged ? m.nik.slice(0, 15) + '0' : m.nik;
        if (damaged) countPlant('xlsx_numeric_nik');
        const d: Disb = {
          nikRaw, nik: nikRaw, kk, name: m.name, village: village.code, programRaw: rng.chance(0.8) ? 'PIP' : 'KIP',
          program: 'PIP', rp, periodRaw: `TAHAP ${t} 2025`, pkey: `2025-T${t}`, paid: t === 1 ? monthDay(2025, 4) : monthDay(2025, 8),
          channel: 'BRI', account: 'SP' + own.account, statusRaw: damaged ? 'TERSALUR' : st.raw, status: damaged ? 'PAID' : st.status,
          txn: nextTxn('PIP25'),
        };
        if (!damaged && rng.chance(0.03)) {
          d.village = ''; // school data without KODE_WILAYAH: only the national line (no region) takes it
          countPlant('no_region');
        }
        if (d.status === 'FAILED' || d.status === 'RETURNED') countPlant('undistributed');
        writePip(d, damaged);
      });

      // ---- Ghost recipients (not in the registry)
      if (plants.has('not_in_registry')) {
        const female = rng.chance(0.7);
        const gb = birthBetween(25, 70);
        const g = { nik: newNik(rng.int(localDistricts.length), gb, female), name: personName(female), kk: newKk(distIdx) };
        const a = rng.chance(0.4) ? sharedAccount() : newAccount();
        if (rng.chance(0.6)) {
          for (let m = 1; m <= 6; m++)
            writeBpnt({
              nikRaw: g.nik, nik: g.nik, kk: g.kk, name: g.name, village: village.code, programRaw: 'BPNT', program: 'BPNT',
              rp: 200_000, periodRaw: monthPeriod(2025, m, false), pkey: `2025-${pad2(m)}`, paid: monthDay(2025, m),
              channel: a.bank, account: a.account, statusRaw: 'TERSALUR', status: 'PAID', txn: nextTxn('BPNT25'),
            });
        } else {
          for (const t of [1, 2])
            writeBlt({
              nikRaw: g.nik, nik: g.nik, kk: g.kk, name: g.name, village: village.code, programRaw: 'BLT', program: 'BLT',
              rp: 600_000, periodRaw: `Tahap ${t} 2025`, pkey: `2025-T${t}`, paid: t === 1 ? monthDay(2025, 4) : monthDay(2025, 6),
              channel: 'PT POS', account: '', statusRaw: 'TERSALUR', status: 'PAID', txn: nextTxn('BLT25'),
            });
        }
        countPlant('not_in_registry');
      }

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
        complaintSeq++;
        const received = monthDay(2025, 1 + rng.int(6), 1, 28);
        const st = rng.pick(['SELESAI', 'SELESAI', 'PROSES', 'BARU']);
        const m = rng.pick(members);
        complaints.row([
          `ADU-2025-${pad(complaintSeq, 6)}`,
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
    if (pipMore) closeCsv(pipMore, 'disbursements');
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
