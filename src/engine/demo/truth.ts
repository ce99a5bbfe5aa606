/**
 * truth.json: every figure of the `telisik.summary/1` contract computed in plain TypeScript from the canonical
 * values of the rows the generator wrote, applying DOMAIN.md's definitions to the whole data set (background rows
 * included). This is the oracle of the end-to-end test, so it deliberately shares no code with src/engine/checks.
 */
import { isValidNik } from './nik';
import { jaroWinkler, nameNorm } from './similarity';
import {
  DEFAULT_RULES,
  type BudgetRow,
  type CheckTruth,
  type DeathRow,
  type DisbRow,
  type FlagRow,
  type ImpactTruth,
  type InputTruth,
  type ProgrammeRule,
  type RegRow,
  type TargetingTruth,
  type Truth,
} from './model';

export interface TruthInput {
  households: number;
  seed: number;
  inputs: InputTruth[];
  registry: RegRow[];
  disbursements: DisbRow[];
  deaths: DeathRow[];
  civilServants: string[];
  budget: BudgetRow[];
  /** Comparison-list rows (kind `flags`); undefined when no flags file was supplied (check not evaluated). */
  flags?: FlagRow[];
  planted: Record<string, number>;
  rules?: Record<string, ProgrammeRule>;
  /** Also return the exception rows per check (file index + line), for tracing disagreements. */
  detail?: boolean;
}

export interface TruthDetail {
  /** check id -> exception rows as `${file index}:${line}` (disbursement checks only). */
  exceptions: Record<string, string[]>;
}

const IDENTITY_MIN = 0.92;
const NAME_MISMATCH_BELOW = 0.8;
const REALIZATION_TOLERANCE_CENTS = 100;
const CGH_MAX_DESIL = 4;

const MONTH_NAMES = ['JANUARI', 'FEBRUARI', 'MARET', 'APRIL', 'MEI', 'JUNI', 'JULI', 'AGUSTUS', 'SEPTEMBER', 'OKTOBER', 'NOVEMBER', 'DESEMBER'];
const ROMAN = ['I', 'II', 'III', 'IV'];
const iso = (y: number, m: number, d = 1): string => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/**
 * DOMAIN.md "Registry snapshot": a snapshot's effective date is its first day — `2025-01`, `Januari 2025`, `01/2025`
 * → 2025-01-01; a full date → that date; `2025-Q2`, `TRIWULAN II 2025`, `TW 2 2025`, `TRIWULAN 2 2025` → 2025-04-01;
 * `SEMESTER 2 2025` → 2025-07-01. Written again from the text (ISO date string; throws on a form the text does not list).
 */
export function snapshotEffectiveDate(label: string): string {
  const u = label.trim().toUpperCase().replace(/\s+/g, ' ');
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})-(\d{2})$/.exec(u))) return iso(+m[1], +m[2]);
  if ((m = /^(\d{1,2})\/(\d{4})$/.exec(u))) return iso(+m[2], +m[1]);
  if ((m = /^([A-Z]+) (\d{4})$/.exec(u)) && MONTH_NAMES.includes(m[1])) return iso(+m[2], MONTH_NAMES.indexOf(m[1]) + 1);
  if ((m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(u))) return iso(+m[1], +m[2], +m[3]);
  if ((m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(u))) return iso(+m[3], +m[2], +m[1]);
  if ((m = /^(\d{1,2}) ([A-Z]+) (\d{4})$/.exec(u)) && MONTH_NAMES.includes(m[2])) return iso(+m[3], MONTH_NAMES.indexOf(m[2]) + 1, +m[1]);
  const quarter = (q: number, y: string) => iso(+y, (q - 1) * 3 + 1);
  if ((m = /^(\d{4})-Q([1-4])$/.exec(u))) return quarter(+m[2], m[1]);
  if ((m = /^(?:TRIWULAN|TW) ([1-4]|I|II|III|IV) (\d{4})$/.exec(u))) return quarter(/\d/.test(m[1]) ? +m[1] : ROMAN.indexOf(m[1]) + 1, m[2]);
  if ((m = /^SEMESTER ([12]) (\d{4})$/.exec(u))) return iso(+m[2], m[1] === '1' ? 1 : 7);
  throw new Error(`truth: snapshot label not in DOMAIN.md's forms: ${label}`);
}

/** Rows without a snapshot value: one snapshot dated before all others. */
const NO_SNAPSHOT_DATE = '0000-00-00';

/** Months a period key covers: `YYYY-MM` → 1, `YYYY-Tn` → the programme's months per stage, otherwise null. */
function periodMonths(pkey: string | null, rule: ProgrammeRule): number | null {
  if (pkey === null) return null;
  if (/^\d{4}-(0[1-9]|1[0-2])$/.test(pkey)) return 1;
  if (/^\d{4}-T\d+$/.test(pkey)) return rule.stageMonths;
  return null;
}

/** First day of a period key's month or stage (`T1` = January, `T2` = April with 3-month stages), else null. */
function periodStart(pkey: string | null, rule: ProgrammeRule | undefined): string | null {
  if (pkey === null) return null;
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(pkey))) return iso(+m[1], +m[2]);
  if ((m = /^(\d{4})-T(\d+)$/.exec(pkey))) {
    const month = (+m[2] - 1) * (rule?.stageMonths ?? 3) + 1;
    return month >= 1 && month <= 12 ? iso(+m[1], month) : null;
  }
  return null;
}

/** Record order for "first" in a group: paid_date (nulls last), txn_id as text, then file row number. */
function recordOrder(a: DisbRow, b: DisbRow): number {
  if (a.paid !== b.paid) {
    if (a.paid === null) return 1;
    if (b.paid === null) return -1;
    return a.paid < b.paid ? -1 : 1;
  }
  if (a.txn !== b.txn) return a.txn < b.txn ? -1 : 1;
  if (a.file !== b.file) return a.file - b.file;
  return a.line - b.line;
}

function figures(rows: DisbRow[], idx: Iterable<number>, amountOf: (r: DisbRow) => number = (r) => r.cents): CheckTruth {
  const niks = new Set<string>();
  let records = 0;
  let cents = 0;
  for (const i of idx) {
    const r = rows[i];
    records++;
    niks.add(r.nik);
    cents += amountOf(r);
  }
  return { evaluated: true, records, recipients: niks.size, amount: cents / 100 };
}

export function computeTruth(input: TruthInput): Truth & { detail?: TruthDetail } {
  const rules = input.rules ?? DEFAULT_RULES;
  const reg = input.registry;
  const rows = input.disbursements;

  // --- registry lookups -----------------------------------------------------------------------------------------
  const regFirst = new Map<string, RegRow>();
  const deathOf = new Map<string, string>();
  const hhDesil = new Map<string, number | null>(); // registry household key -> lowest desil (null: none)
  const seenSnapNik = new Set<string>();
  let registryDuplicates = 0;
  let attributeMismatch = 0;
  // snapshots: label ('' = rows without a value) -> effective date; per NIK: snapshot -> lowest desil (null: none)
  const snapDate = new Map<string, string>();
  const nikSnaps = new Map<string, Map<string, number | null>>();
  // per snapshot: registry household key -> lowest desil (graduation)
  const hhSnapDesil = new Map<string, Map<string, number | null>>();
  const lowest = (cur: number | null | undefined, d: number | null): number | null =>
    cur === undefined ? d : d !== null && (cur === null || d < cur) ? d : cur;
  for (const r of reg) {
    const snap = r.snapshot ?? '';
    if (!snapDate.has(snap)) snapDate.set(snap, snap === '' ? NO_SNAPSHOT_DATE : snapshotEffectiveDate(snap));
    const sk = snap + '\u0000' + r.nik;
    if (seenSnapNik.has(sk)) registryDuplicates++;
    else seenSnapNik.add(sk);
    if (!regFirst.has(r.nik)) regFirst.set(r.nik, r);
    let ns = nikSnaps.get(r.nik);
    if (!ns) nikSnaps.set(r.nik, (ns = new Map()));
    ns.set(snap, lowest(ns.get(snap), r.desil));
    let hs = hhSnapDesil.get(snap);
    if (!hs) hhSnapDesil.set(snap, (hs = new Map()));
    const rhk = r.kk !== '' ? r.kk : 'NIK:' + r.nik;
    hs.set(rhk, lowest(hs.get(rhk), r.desil));
    if (r.death !== null) {
      const d = deathOf.get(r.nik);
      if (d === undefined || r.death < d) deathOf.set(r.nik, r.death);
    }
    const hk = r.kk !== '' ? r.kk : 'NIK:' + r.nik;
    const cur = hhDesil.get(hk);
    if (cur === undefined) hhDesil.set(hk, r.desil);
    else if (r.desil !== null && (cur === null || r.desil < cur)) hhDesil.set(hk, r.desil);
    if (isValidNik(r.nik)) {
      let day = Number(r.nik.slice(6, 8));
      const female = day > 40;
      if (female) day -= 40;
      let bad = false;
      if (r.birth !== null) {
        const [y, m, d] = r.birth.split('-');
        if (Number(d) !== day || m !== r.nik.slice(8, 10) || y.slice(2) !== r.nik.slice(10, 12)) bad = true;
      }
      if (r.sex !== null && (r.sex === 'P') !== female) bad = true;
      if (bad) attributeMismatch++;
    }
  }
  for (const d of input.deaths) {
    const cur = deathOf.get(d.nik);
    if (cur === undefined || d.date < cur) deathOf.set(d.nik, d.date);
  }
  const civil = new Set(input.civilServants);

  /** DOMAIN.md "Desil in force" of a paid record: undefined when the NIK is not in the registry. */
  const desilInForce = (r: DisbRow): number | null | undefined => {
    const ns = nikSnaps.get(r.nik);
    if (!ns) return undefined;
    const ref = r.paid ?? periodStart(r.pkey, rules[r.program]);
    let best: string | null = null; // latest snapshot on or before ref
    let earliest: string | null = null;
    for (const s of ns.keys()) {
      const d = snapDate.get(s)!;
      if (earliest === null || d < snapDate.get(earliest)!) earliest = s;
      if (ref !== null && d <= ref && (best === null || d > snapDate.get(best)!)) best = s;
    }
    return ns.get(best ?? earliest!)!;
  };

  const householdKey = (r: DisbRow): string => {
    if (r.kk !== '') return r.kk;
    const f = regFirst.get(r.nik);
    if (f && f.kk !== '') return f.kk;
    return 'NIK:' + r.nik;
  };

  const paid: number[] = [];
  for (let i = 0; i < rows.length; i++) if (rows[i].status === 'PAID') paid.push(i);
  const hkOf = new Map<number, string>();
  for (const i of paid) hkOf.set(i, householdKey(rows[i]));

  const checks: Record<string, CheckTruth> = {};
  const sets: Record<string, number[]> = {};

  // nik_invalid / not_in_registry / deceased / civil_servant / ineligible_desil / name_mismatch
  const invalid: number[] = [];
  const notInReg: number[] = [];
  const deceased: number[] = [];
  let deceasedNotEvaluated = 0;
  let deceasedNotEvaluatedCents = 0;
  const civilIdx: number[] = [];
  const desilIdx: number[] = [];
  const nameIdx: number[] = [];
  const simCache = new Map<string, number>();
  let nameNotEvaluated = 0;
  let desilNotEvaluated = 0;
  for (const i of paid) {
    const r = rows[i];
    const valid = isValidNik(r.nik);
    if (!valid) invalid.push(i);
    else if (!regFirst.has(r.nik)) notInReg.push(i);
    const dd = deathOf.get(r.nik);
    if (dd !== undefined) {
      if (r.paid === null) {
        deceasedNotEvaluated++;
        deceasedNotEvaluatedCents += r.cents;
      }
      else if (r.paid > dd) deceased.push(i);
    }
    if (civil.has(r.nik)) civilIdx.push(i);
    const rule = rules[r.program];
    if (rule && rule.maxDesil !== null) {
      const desil = desilInForce(r);
      if (desil === undefined || desil === null) desilNotEvaluated++;
      else if (desil > rule.maxDesil) desilIdx.push(i);
    }
    const f = regFirst.get(r.nik);
    if (f) {
      // A name that is empty after normalisation (either side) cannot be compared: not judged, counted apart.
      const key = r.name + '\u0000' + f.name;
      let s = simCache.get(key);
      if (s === undefined) {
        const a = nameNorm(r.name);
        const b = nameNorm(f.name);
        s = a === '' || b === '' ? -1 : jaroWinkler(a, b);
        simCache.set(key, s);
      }
      if (s === -1) nameNotEvaluated++;
      else if (s < NAME_MISMATCH_BELOW) nameIdx.push(i);
    }
  }
  sets.nik_invalid = invalid;
  sets.not_in_registry = notInReg;
  sets.deceased = deceased;
  sets.civil_servant = civilIdx;
  sets.ineligible_desil = desilIdx;
  sets.name_mismatch = nameIdx;

  // duplicate_payment and household_duplicate
  const groupFirst = <K>(keyOf: (i: number) => K | null, idx: number[]): Map<K, number[]> => {
    const g = new Map<K, number[]>();
    for (const i of idx) {
      const k = keyOf(i);
      if (k === null) continue;
      const list = g.get(k);
      if (list) list.push(i);
      else g.set(k, [i]);
    }
    return g;
  };
  const dup: number[] = [];
  for (const list of groupFirst((i) => `${rows[i].nik}\u0000${rows[i].program}\u0000${rows[i].pkey}`, paid).values()) {
    if (list.length < 2) continue;
    list.sort((a, b) => recordOrder(rows[a], rows[b]));
    for (let k = 1; k < list.length; k++) dup.push(list[k]);
  }
  sets.duplicate_payment = dup;
  const hhPaid = paid.filter((i) => rules[rows[i].program]?.unit === 'household');
  const hhDup: number[] = [];
  for (const list of groupFirst((i) => `${hkOf.get(i)}\u0000${rows[i].program}\u0000${rows[i].pkey}`, hhPaid).values()) {
    if (list.length < 2) continue;
    list.sort((a, b) => recordOrder(rows[a], rows[b]));
    const firstNik = rows[list[0]].nik;
    for (let k = 1; k < list.length; k++) if (rows[list[k]].nik !== firstNik) hhDup.push(list[k]);
  }
  sets.household_duplicate = hhDup;

  // program_overlap
  const pkhBpntYears = new Set<string>();
  for (const i of paid) {
    const r = rows[i];
    if ((r.program === 'PKH' || r.program === 'BPNT') && r.paid !== null) pkhBpntYears.add(`${hkOf.get(i)}\u0000${r.paid.slice(0, 4)}`);
  }
  sets.program_overlap = paid.filter((i) => {
    const r = rows[i];
    return r.program === 'BLT_DD' && r.paid !== null && pkhBpntYears.has(`${hkOf.get(i)}\u0000${r.paid.slice(0, 4)}`);
  });

  // shared_account
  const accountNiks = new Map<string, Set<string>>();
  for (const i of paid) {
    const r = rows[i];
    if (r.account === '') continue;
    let s = accountNiks.get(r.account);
    if (!s) accountNiks.set(r.account, (s = new Set()));
    s.add(r.nik);
  }
  const sharedAccounts = new Set<string>();
  for (const [acc, s] of accountNiks) if (s.size >= 2) sharedAccounts.add(acc);
  sets.shared_account = paid.filter((i) => rows[i].account !== '' && sharedAccounts.has(rows[i].account));

  // identity_duplicate
  const pairs = new Set<string>();
  const idIdx: number[] = [];
  const programs = [...new Set(paid.map((i) => rows[i].program))].sort();
  for (const p of programs) {
    const inP = paid.filter((i) => rows[i].program === p);
    const byBirth = new Map<string, string[]>();
    for (const nik of new Set(inP.map((i) => rows[i].nik))) {
      const f = regFirst.get(nik);
      if (!f || f.birth === null) continue;
      const l = byBirth.get(f.birth);
      if (l) l.push(nik);
      else byBirth.set(f.birth, [nik]);
    }
    const flagged = new Set<string>();
    for (const niks of byBirth.values()) {
      if (niks.length < 2) continue;
      const norm = niks.map((n) => nameNorm(regFirst.get(n)!.name));
      for (let a = 0; a < niks.length; a++)
        for (let b = a + 1; b < niks.length; b++) {
          if (jaroWinkler(norm[a], norm[b]) >= IDENTITY_MIN) {
            flagged.add(niks[a]);
            flagged.add(niks[b]);
            pairs.add(niks[a] < niks[b] ? `${niks[a]}|${niks[b]}` : `${niks[b]}|${niks[a]}`);
          }
        }
    }
    for (const i of inP) if (flagged.has(rows[i].nik)) idIdx.push(i);
  }
  sets.identity_duplicate = idIdx;

  for (const id of Object.keys(sets)) checks[id] = figures(rows, sets[id]);
  checks.deceased.not_evaluated_records = deceasedNotEvaluated;
  checks.deceased.not_evaluated_amount = deceasedNotEvaluatedCents / 100;
  checks.shared_account.accounts = sharedAccounts.size;
  checks.name_mismatch.not_evaluated_records = nameNotEvaluated;
  checks.ineligible_desil.not_evaluated_records = desilNotEvaluated;
  checks.identity_duplicate.pairs = pairs.size;

  // undistributed
  const undist: number[] = [];
  for (let i = 0; i < rows.length; i++) if (rows[i].status === 'FAILED' || rows[i].status === 'RETURNED') undist.push(i);
  checks.undistributed = figures(rows, undist);

  // overpayment / underpayment
  // expected amount = monthly amount × months of the period key; other period keys are not judged
  const over: number[] = [];
  const under: number[] = [];
  const expectedCents = new Map<number, number>();
  let payNotEvaluated = 0;
  let payNotEvaluatedCents = 0;
  for (const i of paid) {
    const rule = rules[rows[i].program];
    if (!rule || rule.expected === null) continue;
    const months = periodMonths(rows[i].pkey, rule);
    if (months === null) {
      payNotEvaluated++;
      payNotEvaluatedCents += rows[i].cents;
      continue;
    }
    const exp = rule.expected * months * 100;
    expectedCents.set(i, exp);
    if (rows[i].cents > exp) over.push(i);
    else if (rows[i].cents < exp) under.push(i);
  }
  checks.overpayment = figures(rows, over);
  checks.overpayment.amount = over.reduce((a, i) => a + rows[i].cents - expectedCents.get(i)!, 0) / 100;
  checks.underpayment = figures(rows, under);
  checks.underpayment.amount = under.reduce((a, i) => a + expectedCents.get(i)! - rows[i].cents, 0) / 100;
  for (const c of [checks.overpayment, checks.underpayment]) {
    c.not_evaluated_records = payNotEvaluated;
    c.not_evaluated_amount = payNotEvaluatedCents / 100;
  }

  checks.registry_duplicate_nik = { evaluated: true, records: registryDuplicates };
  checks.nik_attribute_mismatch = { evaluated: true, records: attributeMismatch };

  // realization_mismatch
  // each paid record belongs to the most specific matching line: longest region code, then a line with a year
  let rmLines = 0;
  let rmCents = 0;
  const lineSum = new Array<number>(input.budget.length).fill(0);
  const bare = (x: string | null): string => (x ?? '').replace(/[.\s]/g, '');
  for (const i of paid) {
    const r = rows[i];
    const region = bare(r.region);
    let best = -1;
    let bestRank = -1;
    input.budget.forEach((line, k) => {
      if (line.program !== r.program) return;
      if (line.year !== null && (r.paid === null || Number(r.paid.slice(0, 4)) !== line.year)) return;
      const lr = bare(line.region);
      if (lr !== '' && !region.startsWith(lr)) return;
      const rank = lr.length * 2 + (line.year !== null ? 1 : 0);
      if (rank > bestRank) {
        best = k;
        bestRank = rank;
      }
    });
    if (best >= 0) lineSum[best] += r.cents;
  }
  for (const [k, line] of input.budget.entries()) {
    const diff = Math.abs(line.realizationCents - lineSum[k]);
    if (diff > REALIZATION_TOLERANCE_CENTS) {
      rmLines++;
      rmCents += diff;
    }
  }
  checks.realization_mismatch = { evaluated: true, records: rmLines, amount: rmCents / 100 };

  // potential loss
  const lossIdx = new Set<number>();
  for (const id of ['nik_invalid', 'not_in_registry', 'deceased', 'duplicate_payment', 'household_duplicate', 'civil_servant', 'ineligible_desil', 'program_overlap'])
    for (const i of sets[id]) lossIdx.add(i);
  const loss = figures(rows, lossIdx);

  // flagged_recipient (not part of potential loss)
  const flagged: number[] = [];
  if (input.flags) {
    const listsOf = new Map<string, Set<string>>();
    const allLists = new Set<string>();
    for (const f of input.flags) {
      allLists.add(f.list);
      let s = listsOf.get(f.nik);
      if (!s) listsOf.set(f.nik, (s = new Set()));
      s.add(f.list);
    }
    const perList = new Map<string, number[]>();
    for (const l of [...allLists].sort()) perList.set(l, []);
    const multi = new Set<string>();
    for (const i of paid) {
      const s = listsOf.get(rows[i].nik);
      if (!s) continue;
      flagged.push(i);
      for (const l of s) perList.get(l)!.push(i);
      if (s.size >= 2) multi.add(rows[i].nik);
    }
    const fr = figures(rows, flagged);
    fr.lists = {};
    for (const [l, idx] of perList) {
      const f = figures(rows, idx);
      fr.lists[l] = { records: f.records, recipients: f.recipients!, amount: f.amount! };
    }
    fr.multi_list_recipients = multi.size;
    checks.flagged_recipient = fr;
    sets.flagged_recipient = flagged;
  } else checks.flagged_recipient = { evaluated: false, records: 0 };

  // targeting
  const targeting: Record<string, TargetingTruth> = {};
  let withDesil = 0;
  let poorHh = 0;
  for (const d of hhDesil.values()) {
    if (d === null) continue;
    withDesil++;
    if (d <= CGH_MAX_DESIL) poorHh++;
  }
  const poorShare = withDesil ? poorHh / withDesil : null;
  for (const p of programs) {
    const rule = rules[p];
    const amountByHh = new Map<string, number>();
    let total = 0;
    for (const i of paid) {
      if (rows[i].program !== p) continue;
      const hk = hkOf.get(i)!;
      amountByHh.set(hk, (amountByHh.get(hk) ?? 0) + rows[i].cents);
      total += rows[i].cents;
    }
    const B = amountByHh.size;
    let poorAmount = 0;
    for (const [hk, a] of amountByHh) {
      const d = hhDesil.get(hk);
      if (d !== undefined && d !== null && d <= CGH_MAX_DESIL) poorAmount += a;
    }
    const cgh = total > 0 && poorShare ? poorAmount / total / poorShare : null;
    if (!rule || rule.maxDesil === null) {
      targeting[p] = {
        beneficiary_households: B, target_households: 0, inclusion_error: null, exclusion_error: null,
        leakage: null, cgh, targeting_differential: null,
      };
      continue;
    }
    let T = 0;
    let TinB = 0;
    let N = 0;
    let NinB = 0;
    for (const [hk, d] of hhDesil) {
      const inT = d !== null && d <= rule.maxDesil;
      const inB = amountByHh.has(hk);
      if (inT) {
        T++;
        if (inB) TinB++;
      } else {
        N++;
        if (inB) NinB++;
      }
    }
    let leakAmount = 0;
    let BnotT = 0;
    for (const [hk, a] of amountByHh) {
      const d = hhDesil.get(hk);
      const inT = d !== undefined && d !== null && d <= rule.maxDesil;
      if (!inT) {
        BnotT++;
        leakAmount += a;
      }
    }
    targeting[p] = {
      beneficiary_households: B,
      target_households: T,
      inclusion_error: B ? BnotT / B : null,
      exclusion_error: T ? (T - TinB) / T : null,
      leakage: total ? leakAmount / total : null,
      cgh,
      targeting_differential: T && N ? TinB / T - NinB / N : null,
    };
  }

  // impact (DOMAIN.md "Impact indicators"): registry households' lowest desil over all rows, B_P by household key
  const bOf = new Map<string, Set<string>>();
  for (const i of paid) {
    let b = bOf.get(rows[i].program);
    if (!b) bOf.set(rows[i].program, (b = new Set()));
    b.add(hkOf.get(i)!);
  }
  const coverage: ImpactTruth['coverage'] = {};
  for (const p of programs) {
    const b = bOf.get(p)!;
    let n2 = 0, c2 = 0, n4 = 0, c4 = 0;
    for (const [hk, d] of hhDesil) {
      if (d === null) continue;
      if (d <= 2) {
        n2++;
        if (b.has(hk)) c2++;
      }
      if (d <= 4) {
        n4++;
        if (b.has(hk)) c4++;
      }
    }
    coverage[p] = { desil_1_2: n2 ? c2 / n2 : null, desil_1_4: n4 ? c4 / n4 : null };
  }
  const bPkh = bOf.get('PKH') ?? new Set<string>();
  const bBpnt = bOf.get('BPNT') ?? new Set<string>();
  let both = 0;
  for (const hk of bPkh) if (bBpnt.has(hk)) both++;
  let graduation: ImpactTruth['graduation'];
  const snaps = [...snapDate.keys()].sort((a, b) => (snapDate.get(a)! < snapDate.get(b)! ? -1 : snapDate.get(a)! > snapDate.get(b)! ? 1 : 0));
  if (snaps.length < 2) graduation = { evaluated: false, reason: 'fewer than two registry snapshots' };
  else {
    const earlier = hhSnapDesil.get(snaps[0])!;
    const laterLabel = snaps[snaps.length - 1];
    const later = hhSnapDesil.get(laterLabel)!;
    const laterDate = snapDate.get(laterLabel)!;
    const paidAfter = new Set<string>();
    for (const i of paid) {
      const r = rows[i];
      if (rules[r.program]?.unit === 'household' && r.paid !== null && r.paid >= laterDate) paidAfter.add(hkOf.get(i)!);
    }
    let poorEarlier = 0, presentLater = 0, graduated = 0, fellIn = 0, stillPaid = 0;
    for (const [hk, d] of earlier) {
      const inLater = later.has(hk);
      const dl = later.get(hk) ?? null;
      if (d !== null && d <= 4) {
        poorEarlier++;
        if (inLater) {
          presentLater++;
          if (dl !== null && dl > 4) {
            graduated++;
            if (paidAfter.has(hk)) stillPaid++;
          }
        }
      } else if (d !== null && d > 4 && inLater && dl !== null && dl <= 4) fellIn++;
    }
    graduation = { evaluated: true, poor_earlier: poorEarlier, present_later: presentLater, graduated, fell_in: fellIn, graduated_still_paid: stillPaid };
  }
  const impact: ImpactTruth = { coverage, complementarity: { pkh: bPkh.size, bpnt: bBpnt.size, both }, graduation };

  // budget
  let alloc = 0;
  let real = 0;
  for (const l of input.budget) {
    alloc += l.allocationCents;
    real += l.realizationCents;
  }

  const order = [
    'nik_invalid', 'not_in_registry', 'deceased', 'duplicate_payment', 'household_duplicate', 'civil_servant',
    'ineligible_desil', 'program_overlap', 'shared_account', 'identity_duplicate', 'name_mismatch', 'undistributed',
    'overpayment', 'underpayment', 'flagged_recipient', 'registry_duplicate_nik', 'nik_attribute_mismatch',
    'realization_mismatch',
  ];
  const ordered: Record<string, CheckTruth> = {};
  for (const id of order) ordered[id] = checks[id];

  const detail: TruthDetail | undefined = input.detail
    ? {
        exceptions: Object.fromEntries(
          [...Object.entries(sets), ['undistributed', undist], ['overpayment', over], ['underpayment', under], ['potential_loss', [...lossIdx]]].map(
            ([id, idx]) => [id, (idx as number[]).map((i) => `${rows[i].file}:${rows[i].line}`)],
          ),
        ),
      }
    : undefined;
  return {
    ...(detail ? { detail } : {}),
    schema: 'telisik.summary/1',
    generator: { name: 'telisik-demo', households: input.households, seed: input.seed },
    inputs: input.inputs,
    checks: ordered,
    targeting,
    budget: { lines: input.budget.length, allocation: alloc / 100, realization: real / 100, absorption: alloc ? real / alloc : null },
    potential_loss: { records: loss.records, recipients: loss.recipients!, amount: loss.amount! },
    impact,
    planted: input.planted,
  };
}
