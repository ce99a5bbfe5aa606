/** Real region codes (Kepmendagri via idn-area-data, ODbL) for the demo's kabupaten in Jawa Barat. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface District {
  code: string; // 32.01.01
  regency: string; // 32.01
  name: string;
  villages: { code: string; name: string }[];
  /** true for districts only used as historical NIK issuing places (people who moved in). */
  foreign: boolean;
}

export interface DemoRegions {
  regencies: { code: string; name: string }[];
  districts: District[]; // local districts first, then foreign
  local: number; // number of local districts
}

export const DEMO_REGENCIES = ['32.01', '32.02', '32.03', '32.04'];
const FOREIGN_DISTRICTS = ['31.71.01', '33.74.01', '32.73.01', '35.78.01'];

function dataDir(): string {
  return join(dirname(require.resolve('idn-area-data/package.json')), 'data');
}

function readCsv(file: string): string[][] {
  const text = readFileSync(join(dataDir(), file), 'utf8');
  const out: string[][] = [];
  for (const line of text.split(/\r?\n/).slice(1)) {
    if (!line) continue;
    // code,parent,name — names here contain no quotes/commas in the rows we use; be defensive anyway.
    const m = /^([^,]*),([^,]*),(.*)$/.exec(line);
    if (m) out.push([m[1], m[2], m[3].replace(/^"|"$/g, '')]);
  }
  return out;
}

let cached: DemoRegions | null = null;

export function loadRegions(): DemoRegions {
  if (cached) return cached;
  const regencies = readCsv('regencies.csv')
    .filter((r) => DEMO_REGENCIES.includes(r[0]))
    .map((r) => ({ code: r[0], name: r[2] }));
  const byDistrict = new Map<string, District>();
  const districts: District[] = [];
  for (const r of readCsv('districts.csv')) {
    if (DEMO_REGENCIES.includes(r[1])) {
      const d: District = { code: r[0], regency: r[1], name: r[2], villages: [], foreign: false };
      byDistrict.set(d.code, d);
      districts.push(d);
    }
  }
  for (const r of readCsv('villages.csv')) {
    const d = byDistrict.get(r[1]);
    if (d) d.villages.push({ code: r[0], name: r[2] });
  }
  const local = districts.length;
  const all = readCsv('districts.csv');
  for (const code of FOREIGN_DISTRICTS) {
    const r = all.find((x) => x[0] === code);
    if (r) districts.push({ code: r[0], regency: r[1], name: r[2], villages: [], foreign: true });
  }
  cached = { regencies, districts: districts.filter((d) => d.foreign || d.villages.length > 0), local };
  cached.local = cached.districts.filter((d) => !d.foreign).length;
  return cached;
}
