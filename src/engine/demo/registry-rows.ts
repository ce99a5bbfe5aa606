/**
 * The registry side of one household: deaths (planted variants and background), its rows in the earlier snapshot
 * with the registry plants (invalid NIKs, attribute contradictions, duplicates, a second identity), its rows in the
 * later snapshot, the deaths extract rows, and civil servants (background and planted).
 */
import { dayOf, isoOf, pad } from './nik';
import { DAY0, NDAYS, fmtDMY, fmtLong } from './format';
import type { Person, Plant } from './plan';
import { FEMALE_FAMILY, INSTANSI, INSTANSI_POLRI, INSTANSI_TNI, MALE_FAMILY, MALE_GIVEN } from './names';
import { jaroWinkler, nameNorm } from './similarity';
import type { DemoContext } from './context';
import type { DrawnHousehold } from './population';

export function writeHouseholdRegistry(G: DemoContext, H: DrawnHousehold) {
  const {
    rng, localDistricts, nDist, SNAP, T, newNik, newKk, newAccount, givenName, nip, countPlant, registryRow,
    monthDay, deaths, civil,
  } = G;
  const {
    plants, reg, distIdx, village, address, desil, members, headAge, kk, acc, mother, head, ages, laterOnly,
    presentLater, laterDesil,
  } = H;
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

  return { deathVariant, bpntDays, nikOf, twin };
}

export type HouseholdRegistry = ReturnType<typeof writeHouseholdRegistry>;
