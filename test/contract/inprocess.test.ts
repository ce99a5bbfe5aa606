// The CLI's transport: the same service, the same contract validation as the HTTP adapter, errors as code + params.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CallFailed, inProcessClient } from '../../src/engine/service/inprocess';

const dir = mkdtempSync(join(tmpdir(), 'telisik-inproc-'));
const c = inProcessClient({ version: 'test' });
afterAll(async () => { await c.close(); rmSync(dir, { recursive: true, force: true }); });

describe('in-process transport', () => {
  it('validates arguments against the contract before any handler runs', async () => {
    const e = await c.call('listDir', { path: '' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CallFailed);
    expect(e).toMatchObject({ code: 'invalid_args', call: 'listDir' });
    // a call needing an engagement, none attached: the service's own code
    await expect(c.call('listTables', {})).rejects.toMatchObject({ code: 'no_workspace' });
  });

  it('attaches an engagement, answers calls and waits for a task', async () => {
    const info = await c.connect(join(dir, 'w.duckdb'), { name: 'uji' });
    expect(info).toMatchObject({ name: 'uji', imports: 0 });
    const tables = await c.call('listTables', {});
    expect(tables.filter((x) => x.group === 'canonical').map((x) => x.name).sort()).toEqual(['budget', 'civil_servants', 'complaints', 'deaths', 'disbursements', 'flags', 'registry']);
    expect(tables.every((x) => x.rows === 0 && x.imports === 0)).toBe(true);
    // a task that fails: the failed event's error, thrown with its code
    await expect(c.task('importFiles', { files: [{ kind: 'disbursements', path: join(dir, 'nope.csv') }] })).rejects.toMatchObject({ code: 'not_found' });
    // CLI sessions do not mask unless asked and keep no preferences
    expect((await c.call('getSettings', {})).masking_default).toBe(false);
  });
});
