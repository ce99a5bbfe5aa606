/**
 * The demo generator's shared state: the seeded PRNG, NIK/KK/account serial counters, the writers of every file (in
 * import order), the canonical rows kept for truth.json, the planted counts, and the helpers that write one row with
 * its canonical values. Household modules (population, registry, payments, lists) draw and write through it.
 */
import { join } from 'node:path';
import { Rng } from './prng';
import { DAY_MS, ddmmyy, dayOf, isoOf, isValidNik, pad } from './nik';
import { DAY0, ISSUE0, NDAYS, NISSUE, REF_DAY, amtDots, amtEn, amtId, amtIdDec, digits, fmtDMY, fmtLong, pad2, ymd } from './format';
import { BANKS, DISB_HEADER, FILES, PLANTS, RATES, snapshotPairFor, type Disb, type Person, type Plant } from './plan';
import { FEMALE_FAMILY, FEMALE_GIVEN, MALE_FAMILY, MALE_GIVEN, MONTHS_ID } from './names';
import { loadRegions } from './regions';
import { CsvWriter, XlsxWriter, type XlsxCell } from './writers';
import { ComparisonLists } from './flags';
import type { DeathRow, DisbRow, FlagRow, RegRow } from './model';

export interface ContextOptions {
  out: string;
  N: number;
  seed: number;
  wantTruth: boolean;
  xlsxMax: number;
  plantRate: number;
}

export function createContext({ out, N, seed, wantTruth, xlsxMax, plantRate }: ContextOptions) {
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

  return {
    rng, regions, localDistricts, nDist, FI, SNAP, lateDay, T, lists, writers, planted, rejected, realSums, targetKpm, hhPaid, forced, forcedList, newNik, newKk, newAccount, givenName, personName, nikDistrict, birthBetween, nip, nextTxn, countPlant, sharedAccount, registryRow, budgetKey, disbFields, canon, writeBpnt, writePkh, writeBltdd, writeBlt, writePip, statusDraw, monthDay, monthPeriod, registry, bpnt, pkh, bltdd, blt, pip, deaths, civil, complaints, out, N, plantRate,
    /** the PIP continuation file, once PIP rows overflowed the XLSX sheet */
    get pipMore(): CsvWriter | null {
      return pipMore;
    },
  };
}

export type DemoContext = ReturnType<typeof createContext>;
