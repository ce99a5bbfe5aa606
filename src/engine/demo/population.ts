/**
 * The population: one household at a time — its plants, region (real Kepmendagri codes), members with NIKs that
 * agree with birth date and sex, KK and account, welfare decile, programme enrolment by desil, and its fate in the
 * later registry snapshot (graduates, falls in, registered only then, exit enforced or not).
 */
import { pad } from './nik';
import { DAY0, NDAYS, REF_DAY, ageOn } from './format';
import { DESIL_WEIGHTS, FALL_IN_RATE, GRADUATE_RATE, LATER_PRESENT, NEEDS_BPNT, RATES, SIZE_WEIGHTS, type Person, type Plant } from './plan';
import { KAMPUNG } from './names';
import type { DemoContext } from './context';

/** Counters that run across households. */
export interface LoopState {
  /** xlsx_numeric_nik plants waiting for the next PIP record */
  pendingNumericNik: number;
  complaintSeq: number;
}

export function createPopulation(G: DemoContext) {
  const {
    rng, regions, localDistricts, lateDay, forced, forcedList, newNik, newKk, newAccount, personName, nikDistrict,
    birthBetween, countPlant, plantRate,
  } = G;
  const regencyWeights = regions.regencies.map((r) => localDistricts.filter((d) => d.regency === r.code).length);
  const districtsOf = new Map<string, number[]>();
  localDistricts.forEach((d, i) => districtsOf.set(d.regency, [...(districtsOf.get(d.regency) ?? []), i]));
  return function drawHousehold(h: number, lp: LoopState) {
      // Plants for this household
      const plants = new Set<Plant>(forced.get(h) ?? []);
      for (const p of forcedList) if (rng.chance(RATES[p]! * plantRate)) plants.add(p);
      if (plants.has('xlsx_numeric_nik')) lp.pendingNumericNik++; // consumed by the next PIP record

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
      const mother = members.find((m) => m.rel === 'ISTRI') ?? members[0];
      const head = members[0];
      const ages = members.map((m) => ageOn(m.birth, REF_DAY));

      // Enrolment by desil
      const poor = desil !== null && desil <= 4;
      const mid = desil !== null && desil >= 5 && desil <= 6;
      const enrol = (a: number, b: number, c: number): boolean => rng.chance(poor ? a : mid ? b : c);
      const pkhComponents: number[] = [];
      members.forEach((_m, i) => {
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

    return { h, plants, reg, distIdx, district, village, address, desil, members, headAge, kk, acc, mother, head, ages, enrol, pkhComponents, inPkh, inBpnt, inBlt, inBltdd, laterOnly, graduate, fallIn, presentLater, laterDesil, exitDay, bpntFrom, paysOn, undated };
  };
}

export type DrawnHousehold = ReturnType<ReturnType<typeof createPopulation>>;
