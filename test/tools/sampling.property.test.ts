import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workspace } from '../../src/engine/workspace/workspace';
import { benford, sampleMus } from '../../src/engine/tools';
import { tempWorkspace } from './_ws';

let ws: Workspace;
let dispose: () => Promise<void>;
beforeAll(async () => { ({ ws, dispose } = await tempWorkspace('prop')); });
afterAll(async () => dispose());

/** Reference MUS in plain JS (cents): top stratum >= J, then points start + kJ over cumulative amounts in key order. */
function referenceMus(amounts: number[], J: number, start: number): { keys: number[]; top: number[] } {
  const top: number[] = [];
  const keys: number[] = [];
  let cum = 0;
  let next = start;
  amounts.forEach((a, i) => {
    if (a <= 0) return;
    if (a >= J) { top.push(i + 1); keys.push(i + 1); return; }
    const prev = cum;
    cum += a;
    let hit = false;
    while (next <= cum) { if (next > prev) hit = true; next += J; }
    if (hit) keys.push(i + 1);
  });
  return { keys, top };
}

describe('MUS against a reference implementation (property)', () => {
  it('selects exactly the reference items for random populations, intervals and starts', async () => {
    let run = 0;
    await fc.assert(fc.asyncProperty(
      fc.array(fc.integer({ min: -500, max: 500_000 }), { minLength: 1, maxLength: 40 }),
      fc.integer({ min: 100, max: 400_000 }),
      fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
      async (cents, J, u) => {
        run++;
        const start = 1 + Math.floor(u * J);
        await ws.run('CREATE OR REPLACE TABLE pop (rec_id BIGINT, nilai DECIMAL(18,2))');
        await ws.run(`INSERT INTO pop SELECT i + 1, (?::VARCHAR::BIGINT[])[i + 1] / 100 FROM range(${cents.length}) r(i)`, [`[${cents.join(',')}]`]);
        if (!cents.some((c) => c > 0)) return;
        const r = await sampleMus(ws, { name: `p${run}`, table: 'pop', amountColumn: 'nilai', interval: J / 100, randomStart: start / 100, seed: 1 });
        const got = (await ws.all<{ rec_id: number }>(`SELECT rec_id FROM sample_p${run} ORDER BY rec_id`)).map((x) => x.rec_id);
        const ref = referenceMus(cents, J, start);
        expect(got).toEqual(ref.keys);
        expect(r.top_stratum).toBe(ref.top.length);
        await ws.run(`DROP TABLE sample_p${run}`);
      }), { numRuns: 25, seed: 20251129 });
  });

  it('Benford MAD equals a plain JS computation on random positive amounts', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.integer({ min: 10, max: 99_999_999 }), { minLength: 1, maxLength: 200 }), async (xs) => {
      await ws.run('CREATE OR REPLACE TABLE bf (v DECIMAL(18,2))');
      await ws.run('INSERT INTO bf SELECT unnest(?::VARCHAR::BIGINT[])', [`[${xs.join(',')}]`]);
      const r = await benford(ws, { table: 'bf', column: 'v' });
      const counts = Array(10).fill(0);
      for (const x of xs) counts[Number(String(x)[0])]++;
      let mad = 0;
      for (let d = 1; d <= 9; d++) mad += Math.abs(counts[d] / xs.length - Math.log10(1 + 1 / d));
      expect(r.mad).toBeCloseTo(mad / 9, 12);
      expect(r.digits.map((d) => d.count)).toEqual(counts.slice(1));
    }), { numRuns: 25, seed: 7 });
  });
});
