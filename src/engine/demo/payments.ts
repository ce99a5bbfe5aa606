/**
 * The payments of one household: BPNT (monthly or per stage, with the identity, NIK, death, duplicate, amount and
 * SUSULAN plants), PKH stages, BLT Dana Desa (monthly or per stage), BLT stages, PIP per child (XLSX), and ghost
 * recipients outside the registry. Exits, late enrolment and undated records follow the registry snapshots.
 */
import { dayOf } from './nik';
import { digits, fmtDMY, pad2, ymd } from './format';
import { NEEDS_BPNT, type Disb, type Person } from './plan';
import { MONTHS_ID } from './names';
import { nameNorm } from './similarity';
import type { DemoContext } from './context';
import type { DrawnHousehold, LoopState } from './population';
import type { HouseholdRegistry } from './registry-rows';

export function writeHouseholdPayments(G: DemoContext, H: DrawnHousehold, R: HouseholdRegistry, lp: LoopState): void {
  const {
    rng, localDistricts, lateDay, rejected, targetKpm, newNik, newKk, newAccount, personName, birthBetween, nextTxn,
    countPlant, sharedAccount, writeBpnt, writePkh, writeBltdd, writeBlt, writePip, statusDraw, monthDay,
    monthPeriod, bpnt,
  } = G;
  const {
    plants, distIdx, district, village, members, kk, acc, mother, head, ages, enrol, pkhComponents, inPkh, inBpnt,
    inBlt, inBltdd, graduate, paysOn, undated,
  } = H;
  const { deathVariant, bpntDays, nikOf, twin } = R;
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
    // a quarter of the catch-ups without TGL_SALUR: no reference date at all, so the desil in force is the earliest
    // snapshot's (and only a budget line without year takes the record)
    const undatedCatchUp = rng.chance(0.25);
    write({
      ...d, periodRaw, pkey: periodRaw.toUpperCase().replace(/\s+/g, ' '), paid: undatedCatchUp ? null : monthDay(2025, 7),
      status: 'PAID', statusRaw: 'TERSALUR', txn: nextTxn(d.txn.slice(0, -9)),
    });
    susulanDone = true;
    countPlant('period_not_evaluated');
    if (undatedCatchUp) countPlant('undated_susulan');
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
    const damaged = lp.pendingNumericNik > 0;
    if (damaged) lp.pendingNumericNik--;
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

}
