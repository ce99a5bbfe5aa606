import { describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { jaroWinkler, nameNorm } from '../../src/engine/demo';
import { FEMALE_FAMILY, FEMALE_GIVEN, MALE_FAMILY, MALE_GIVEN } from '../../src/engine/demo/names';

/** truth.json depends on the generator's own Jaro–Winkler equalling DuckDB's jaro_winkler_similarity bit for bit. */
describe('demo similarity parity with DuckDB', () => {
  it('jaroWinkler and nameNorm equal DuckDB on names and near-threshold variants', async () => {
    const names = [...MALE_GIVEN, ...FEMALE_GIVEN].flatMap((g, i) => [g, `${g} ${[...MALE_FAMILY, ...FEMALE_FAMILY][i % 75]}`]);
    const pairs: [string, string][] = [];
    for (let i = 0; i < names.length; i++) {
      const a = names[i];
      pairs.push([a, names[(i * 7 + 3) % names.length]]);
      pairs.push([a, a.replace(/A/, '')]);
      pairs.push([a, a + 'H']);
      pairs.push([a, a.replace(/(\w)(\w)/, '$2$1')]);
      pairs.push([a, `HJ. ${a}`]);
      pairs.push([a, a.split(' ')[0]]);
      pairs.push([a, '']);
    }
    const inst = await DuckDBInstance.create(':memory:');
    const c = await inst.connect();
    await c.run('CREATE TABLE p(i INTEGER, a VARCHAR, b VARCHAR)');
    const ap = await c.createAppender('p');
    pairs.forEach(([a, b], i) => {
      ap.appendInteger(i);
      ap.appendVarchar(a);
      ap.appendVarchar(b);
      ap.endRow();
    });
    ap.flushSync();
    ap.closeSync();
    const norm = `trim(regexp_replace(regexp_replace(regexp_replace(upper(strip_accents(coalesce(@@, ''))), '\\s', ' ', 'g'), '[^A-Z ]', '', 'g'), ' +', ' ', 'g'))`;
    const r = await c.runAndReadAll(
      `SELECT i, jaro_winkler_similarity(${norm.replace('@@', 'a')}, ${norm.replace('@@', 'b')}) AS s, ${norm.replace('@@', 'b')} AS nb FROM p ORDER BY i`,
    );
    let bad = 0;
    for (const [i, s, nb] of r.getRows()) {
      const [a, b] = pairs[Number(i)];
      if (nameNorm(b) !== nb) bad++;
      if (jaroWinkler(nameNorm(a), nameNorm(b)) !== s) bad++;
    }
    expect(pairs.length).toBeGreaterThan(500);
    expect(bad).toBe(0);
    c.closeSync?.();
  });
});
