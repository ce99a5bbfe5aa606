/**
 * Comparison lists of the demo (kind `flags`, DOMAIN.md contract 2): BPJS Ketenagakerjaan wage earners above the
 * kabupaten's UMK (`NAMA_DAFTAR` written messily), SAMSAT car owners (`JENIS_DAFTAR`, some with two cars), and the
 * village officials' file without a list column (its list is its file name). Background people are listed by welfare
 * (most never receive bansos); planted recipients are put on one list, or on two or three.
 */
import { join } from 'node:path';
import type { Rng } from './prng';
import type { FlagRow } from './model';
import { CsvWriter } from './writers';
import { EMPLOYERS, VEHICLES, VILLAGE_OFFICES } from './names';
import { thousands } from './format';
import { FILES, LIST_VEHICLE, LIST_WAGE, OFFICIAL_LIST, PLATE, UMK, normList, type Person, type Plant } from './plan';

type Listed = { nik: string; name: string };

export interface ListedHousehold {
  /** household index (a row without NIK is written every 700 households: rejected at import) */
  h: number;
  regency: string; // dotted, e.g. 32.01
  villageName: string;
  members: Person[];
  ages: number[];
  desil: number | null;
  plants: Set<Plant>;
  /** valid NIKs paid in this household */
  paid: Map<string, string>;
}

export class ComparisonLists {
  readonly wage: CsvWriter;
  readonly vehicle: CsvWriter;
  readonly official: CsvWriter;
  /** rows the importer must reject (NIK missing) in the wage list */
  rejectedWage = 0;

  constructor(out: string, private readonly rng: Rng, private readonly truth: FlagRow[] | null) {
    this.wage = new CsvWriter(join(out, FILES.flagsWage), ';', ['NIK', 'NAMA', 'NAMA_DAFTAR', 'KETERANGAN']);
    this.vehicle = new CsvWriter(join(out, FILES.flagsVehicle), ',', ['NIK_KTP', 'NAMA_LENGKAP', 'JENIS_DAFTAR', 'KETERANGAN']);
    this.official = new CsvWriter(join(out, FILES.flagsOfficial), ';', ['NIK', 'NAMA', 'KETERANGAN']);
  }

  get writers(): CsvWriter[] {
    return [this.wage, this.vehicle, this.official];
  }

  /**
   * Lists one household. `stranger` draws a worker from outside the registry, `anyName` a name; `count` records a
   * planted case. The draws happen in a fixed order (the output is deterministic for a seed).
   */
  household(hh: ListedHousehold, stranger: () => Listed, anyName: (female: boolean) => string, count: (p: Plant) => void): void {
    const { rng } = this;
    const { members, ages, desil } = hh;
    const head = members[0];
    const wageRow = (p: Listed): void => {
      const wage = Math.round((UMK[hh.regency] * (1.05 + rng.next() * 0.9)) / 1000) * 1000;
      const list = rng.pick(LIST_WAGE);
      this.wage.row([rng.chance(0.05) ? `'${p.nik}` : p.nik, p.name, list, `${rng.pick(EMPLOYERS)}; upah Rp ${thousands(wage, '.')}; BPJS Ketenagakerjaan Des 2024`]);
      this.truth?.push({ nik: p.nik, list: normList(list) });
    };
    const vehicleRow = (p: Listed): void => {
      for (let k = rng.chance(0.12) ? 2 : 1; k > 0; k--) {
        const list = rng.pick(LIST_VEHICLE);
        const plate = `${PLATE[hh.regency]} ${1000 + rng.int(8999)} ${String.fromCharCode(65 + rng.int(26), 65 + rng.int(26))}`;
        this.vehicle.row([p.nik, p.name, list, `${rng.pick(VEHICLES)} ${2012 + rng.int(13)}, ${plate}`]);
        this.truth?.push({ nik: p.nik, list: normList(list) });
      }
    };
    const officialRow = (p: Listed): void => {
      this.official.row([p.nik, p.name, `${rng.pick(VILLAGE_OFFICES)} ${hh.villageName.toUpperCase()}`]);
      this.truth?.push({ nik: p.nik, list: OFFICIAL_LIST });
    };
    const rich = desil !== null && desil >= 5;
    members.forEach((m, i) => {
      if (ages[i] >= 20 && ages[i] <= 55 && rng.chance(rich ? 0.15 : 0.01)) wageRow(m);
    });
    if (ages[0] >= 22 && rng.chance(desil !== null && desil >= 6 ? 0.25 : desil === 5 ? 0.08 : 0.01)) vehicleRow(head);
    if (ages[0] >= 25 && ages[0] <= 60 && rng.chance(0.01)) officialRow(head);
    if (rng.chance(0.4)) wageRow(stranger()); // a worker from outside the registry
    if (hh.h % 700 === 350) {
      this.wage.row(['', anyName(false), LIST_WAGE[0], 'NIK tidak tercatat']); // rejected: NIK missing
      this.rejectedWage++;
      count('flag_rejected');
    }
    const paidMembers = members.filter((m) => hh.paid.has(m.nik));
    if ((hh.plants.has('flagged_recipient') || hh.plants.has('flag_multi_list')) && paidMembers.length) {
      const p = paidMembers[rng.int(paidMembers.length)];
      const lists = [wageRow, vehicleRow, officialRow];
      const n = hh.plants.has('flag_multi_list') ? 2 + (rng.chance(0.3) ? 1 : 0) : 1;
      const first = rng.int(3);
      for (let k = 0; k < n; k++) lists[(first + k) % 3](p);
      count(n >= 2 ? 'flag_multi_list' : 'flagged_recipient');
    }
  }
}
