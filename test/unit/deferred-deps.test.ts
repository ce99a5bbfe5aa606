// exceljs (≈ 0.5 s to load) and apache-arrow (≈ 0.25 s) are loaded when a workbook or a grid page needs them, not when
// the CLI, the loopback server or the engine host starts: a command that touches neither starts without them. Checked
// in a fresh Node process (the suite's workers have every module loaded already), through the real CLI entry.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

/** Runs `script` in a fresh Node with tsx; prints which heavy packages ended up loaded. */
function loaded(script: string): { exceljs: boolean; arrow: boolean } {
  const probe = `require('tsx/cjs/api').register();
(async () => {
  ${script}
  const keys = Object.keys(require.cache);
  console.log(JSON.stringify({ exceljs: keys.some((k) => k.includes('/node_modules/exceljs/')), arrow: keys.some((k) => k.includes('/node_modules/apache-arrow/')) }));
})().catch((e) => { console.error(e); process.exit(1); });`;
  const out = execFileSync(process.execPath, ['-e', probe], { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!);
}

describe('deferred heavy dependencies', () => {
  it('the CLI and the service start, create an engagement and list its tables without exceljs or apache-arrow', () => {
    const dir = mkdtempSync(join(tmpdir(), 'telisik-deferred-'));
    try {
      expect(loaded(`
        require('./src/cli/main.ts');
        const { withService } = require('./src/cli/service.ts');
        const tables = await withService(${JSON.stringify(join(dir, 'w.duckdb'))}, (c) => c.call('listTables', {}), { name: 'x' });
        if (!Array.isArray(tables)) throw new Error('no table list');`)).toEqual({ exceljs: false, arrow: false });
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });

  it('they are loaded when used: an Arrow page and an XLSX read', () => {
    expect(loaded(`
      const { ArrowBatchBuilder } = require('./src/engine/arrow.ts');
      const b = new ArrowBatchBuilder([{ name: 'x', kind: 'utf8' }]); b.appendRow(['a']);
      if (b.finish().length < 8) throw new Error('empty Arrow stream');
      require('./src/engine/exceljs.ts').excel();`)).toEqual({ exceljs: true, arrow: true });
  });
});
