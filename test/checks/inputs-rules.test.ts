import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runChecks, buildSummary, CHECK_IDS } from '../../src/engine/checks';
import { defaultRules, mergeRules, readRulesFile, saveEngagementRules, effectiveRules, RulesError } from '../../src/engine/rules/rules';
import { runCommand } from '../../src/cli/commands/run';
import { InputError, UsageError } from '../../src/cli/args';
import { insertDisb, insertReg, tempWorkspace } from './helpers';

const A = '3201011505900001';

describe('inputs not supplied → not evaluated, never zero', () => {
  it('a workspace never analysed: every check not evaluated', async () => {
    const t = await tempWorkspace();
    try {
      const s = await buildSummary(t.ws);
      expect(Object.values(s.checks).every((c) => c.evaluated === false)).toBe(true);
      expect(s.targeting).toEqual({});
      expect(s.budget).toEqual({ evaluated: false });
      expect(s.not_evaluated?.deceased).toEqual(['not run']);
    } finally { await t.close(); }
  });

  it('disbursements only', async () => {
    const t = await tempWorkspace();
    try {
      await insertDisb(t.ws, [{ line: 2, nik: A }, { line: 3, nik: A, program: 'BLT_DD', amount: 300000 }]);
      await runChecks(t.ws);
      const s = await buildSummary(t.ws);
      for (const id of ['not_in_registry', 'deceased', 'civil_servant', 'ineligible_desil', 'identity_duplicate', 'name_mismatch',
        'registry_duplicate_nik', 'nik_attribute_mismatch', 'realization_mismatch']) {
        expect(s.checks[id], id).toEqual({ evaluated: false });
      }
      for (const id of ['nik_invalid', 'duplicate_payment', 'household_duplicate', 'program_overlap', 'shared_account', 'undistributed', 'overpayment', 'underpayment']) {
        expect(s.checks[id].evaluated, id).toBe(true);
      }
      expect(Object.keys(s.checks)).toHaveLength(CHECK_IDS.length);
      expect(s.targeting).toEqual({ BLT_DD: { evaluated: false }, BPNT: { evaluated: false } });
      expect(s.budget).toEqual({ evaluated: false });
      expect(s.not_evaluated?.deceased).toEqual(['missing input: deaths or registry death_date']);
      // the BLT_DD record overlaps the BPNT record of the same household ('NIK:'+A) in 2024
      expect(s.potential_loss).toMatchObject({ records: 1, recipients: 1, amount: 300000 });
    } finally { await t.close(); }
  });

  it('deceased is evaluated from registry death dates alone, and from an empty but supplied deaths file', async () => {
    const t = await tempWorkspace();
    try {
      await insertDisb(t.ws, [{ line: 2, nik: A, paid_date: '2024-03-01' }]);
      await insertReg(t.ws, [{ line: 2, nik: A, kk: 'K', name: 'X', death_date: '2024-02-01' }]);
      await runChecks(t.ws);
      expect((await buildSummary(t.ws)).checks.deceased).toMatchObject({ evaluated: true, records: 1, amount: 200000 });

      await t.ws.run(`UPDATE registry SET death_date = NULL`);
      await runChecks(t.ws, { only: ['deceased'] });
      expect((await buildSummary(t.ws)).checks.deceased).toEqual({ evaluated: false });

      await t.ws.run(`INSERT INTO import_log (import_id, kind, file, sha256, rows_read, rows_loaded, rows_rejected, status)
        VALUES (9, 'deaths', 'mati.csv', 'abc', 0, 0, 0, 'completed')`);
      await runChecks(t.ws);
      const s = await buildSummary(t.ws);
      expect(s.checks.deceased).toMatchObject({ evaluated: true, records: 0, recipients: 0, amount: 0 });
      expect(s.inputs).toEqual([{ kind: 'deaths', file: 'mati.csv', sha256: 'abc', rows_read: 0, rows_loaded: 0, rows_rejected: 0 }]);
    } finally { await t.close(); }
  });
});

describe('programme rules', () => {
  it('defaults follow DOMAIN.md', () => {
    const r = defaultRules();
    expect(r.programmes.BPNT).toMatchObject({ unit: 'household', expected_amount: 200000, max_desil: 4 });
    expect(r.programmes.BLT_DD).toMatchObject({ unit: 'household', expected_amount: 300000, max_desil: 4, forbidden_overlap: ['PKH', 'BPNT'] });
    expect(r.programmes.PKH.expected_amount).toBeNull();
    expect(r.programmes.PIP.unit).toBe('individual');
    expect(r.thresholds).toMatchObject({ identity_similarity: 0.92, name_mismatch_similarity: 0.8 });
  });

  it('merges overrides and validates with clear errors', () => {
    const m = mergeRules(defaultRules(), { programmes: { bpnt: { expected_amount: 250000 }, PIP: null, 'KARTU PRAKERJA': { unit: 'individual' } } });
    expect(m.programmes.BPNT).toMatchObject({ expected_amount: 250000, max_desil: 4, unit: 'household' });
    expect(m.programmes.PIP).toBeUndefined();
    expect(m.programmes['KARTU PRAKERJA']).toMatchObject({ unit: 'individual', expected_amount: null, max_desil: null });
    expect(() => mergeRules(defaultRules(), { programmes: { NEW: { max_desil: 3 } } })).toThrow(/must state its "unit"/);
    expect(() => mergeRules(defaultRules(), { programmes: { BPNT: { max_desil: 11 } } })).toThrow(/max_desil must be an integer 1..10/);
    expect(() => mergeRules(defaultRules(), { thresholds: { identity_similarity: 1.5 } })).toThrow(/between 0 and 1/);
    expect(() => mergeRules(defaultRules(), { programmes: { BPNT: { amount: 1 } as never } })).toThrow(/unknown key "amount"/);
  });

  it('accepts shorthands: bare programme map, forbidden_overlaps, short threshold names', () => {
    const m = mergeRules(defaultRules(), { BPNT: { expected_amount: 225000 }, PKH: { forbidden_overlaps: ['BLT'] } } as never);
    expect(m.programmes.BPNT.expected_amount).toBe(225000);
    expect(m.programmes.PKH.forbidden_overlap).toEqual(['BLT']);
    expect(mergeRules(defaultRules(), { thresholds: { identity: 0.95, name_mismatch: 0.7 } } as never).thresholds)
      .toMatchObject({ identity_similarity: 0.95, name_mismatch_similarity: 0.7 });
  });

  it('rules file errors name the file; engagement settings apply under the run override', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'telisik-rules-'));
    try {
      const bad = join(dir, 'bad.json');
      writeFileSync(bad, '{"programmes": {"BPNT": {"unit": "keluarga"}}}');
      expect(() => readRulesFile(bad)).toThrow(RulesError);
      expect(() => readRulesFile(bad)).toThrow(/bad\.json: programmes\.BPNT\.unit/);
      writeFileSync(bad, '{nope');
      expect(() => readRulesFile(bad)).toThrow(/not valid JSON/);
      const t = await tempWorkspace();
      try {
        await saveEngagementRules(t.ws, { programmes: { BPNT: { expected_amount: 210000 } } });
        expect((await effectiveRules(t.ws)).programmes.BPNT.expected_amount).toBe(210000);
        expect((await effectiveRules(t.ws, { programmes: { BPNT: { max_desil: 3 } } })).programmes.BPNT).toMatchObject({ expected_amount: 210000, max_desil: 3 });
        await insertDisb(t.ws, [{ line: 2, nik: A, amount: 200000 }]);
        await runChecks(t.ws, { only: ['underpayment'] });
        expect((await buildSummary(t.ws)).checks.underpayment).toMatchObject({ records: 1, amount: 10000 });
      } finally { await t.close(); }
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });
});

describe('CLI', () => {
  it('telisik run writes the summary JSON; bad rules are input errors; an unknown check is a usage error', async () => {
    const t = await tempWorkspace();
    const path = t.ws.path;
    await insertDisb(t.ws, [{ line: 2, nik: A }, { line: 3, nik: A }]);
    await t.ws.close();
    const dir = mkdtempSync(join(tmpdir(), 'telisik-cli-'));
    const log = console.log; const err = console.error;
    console.log = () => undefined; console.error = () => undefined;
    try {
      const out = join(dir, 'summary.json');
      expect(await runCommand.run(['--workspace', path, '--summary', out])).toBe(0);
      const s = JSON.parse(readFileSync(out, 'utf8'));
      expect(s.schema).toBe('telisik.summary/1');
      expect(s.checks.duplicate_payment).toMatchObject({ evaluated: true, records: 1, recipients: 1, amount: 200000 });
      writeFileSync(join(dir, 'r.json'), '{"thresholds": {"bogus": 1}}');
      await expect(runCommand.run(['--workspace', path, '--rules', join(dir, 'r.json')])).rejects.toThrow(InputError);
      await expect(runCommand.run(['--workspace', path, 'nope'])).rejects.toThrow(UsageError);
    } finally {
      console.log = log; console.error = err;
      rmSync(dir, { recursive: true, force: true });
      rmSync(join(path, '..'), { recursive: true, force: true });
    }
  });
});
