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
  const nikDesil = new Map<string, number>();
  const deathOf = new Map<string, string>();
  const hhDesil = new Map<string, number | null>(); // registry household key -> lowest desil (null: none)
  const seenNik = new Set<string>();
  let registryDuplicates = 0;
  let attributeMismatch = 0;
  for (const r of reg) {
    if (seenNik.has(r.nik)) registryDuplicates++;
    else {
      seenNik.add(r.nik);
      regFirst.set(r.nik, r);
    }
    if (r.desil !== null) {
      const d = nikDesil.get(r.nik);
      if (d === undefined || r.desil < d) nikDesil.set(r.nik, r.desil);
    }
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
    const desil = nikDesil.get(r.nik);
    if (rule && rule.maxDesil !== null && desil !== undefined && desil > rule.maxDesil) desilIdx.push(i);
    if (rule && rule.maxDesil !== null && desil === undefined) desilNotEvaluated++;
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
  const over: number[] = [];
  const under: number[] = [];
  for (const i of paid) {
    const exp = rules[rows[i].program]?.expected;
    if (exp === null || exp === undefined) continue;
    if (rows[i].cents > exp * 100) over.push(i);
    else if (rows[i].cents < exp * 100) under.push(i);
  }
  checks.overpayment = figures(rows, over, (r) => r.cents - rules[r.program].expected! * 100);
  checks.underpayment = figures(rows, under, (r) => rules[r.program].expected! * 100 - r.cents);

  checks.registry_duplicate_nik = { evaluated: true, records: registryDuplicates };
  checks.nik_attribute_mismatch = { evaluated: true, records: attributeMismatch };

  // realization_mismatch
  let rmLines = 0;
  let rmCents = 0;
  for (const line of input.budget) {
    let sum = 0;
    for (const i of paid) {
      const r = rows[i];
      if (r.program !== line.program) continue;
      if (line.year !== null && (r.paid === null || Number(r.paid.slice(0, 4)) !== line.year)) continue;
      if (line.region !== null && !r.region.startsWith(line.region)) continue;
      sum += r.cents;
    }
    const diff = Math.abs(line.realizationCents - sum);
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
    'overpayment', 'underpayment', 'registry_duplicate_nik', 'nik_attribute_mismatch', 'realization_mismatch',
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
    planted: input.planted,
  };
}
