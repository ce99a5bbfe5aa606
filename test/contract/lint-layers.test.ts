import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const script = join(__dirname, '..', '..', 'scripts', 'lint-layers.mjs');
const run = (env: Record<string, string> = {}) => spawnSync(process.execPath, [script], { encoding: 'utf8', env: { ...process.env, ...env } });

describe('layer lint', () => {
  it('passes on the current tree', () => {
    const r = run();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('reports every kind of violation with file:line and exits 1', () => {
    const root = mkdtempSync(join(tmpdir(), 'lint-'));
    try {
      const put = (p: string, text: string) => { mkdirSync(join(root, p, '..'), { recursive: true }); writeFileSync(join(root, p), text); };
      put('src/shared/a.ts', "// import x from 'node:fs' in a comment is fine\nimport { readFileSync } from 'node:fs';\n");
      put('src/shared/b.ts', "import React from 'react';\nimport '../engine/x';\n");
      put('src/engine/x.ts', "\n\nimport { app } from 'electron';\nconst r = require('../renderer/y');\n");
      put('src/server/s.ts', "export * from '../main/m';\n");
      put('src/renderer/y.ts', "import { join } from 'path';\nimport { createEngineService } from '../engine/service';\nconst m = import('electron');\n");
      put('src/preload/p.ts', "import { contextBridge } from 'electron';\nimport { calls } from '../shared/contract';\nimport { x } from '../engine/x';\nimport lodash from 'lodash';\n");
      put('src/cli/c.ts', "import 'react-dom';\n");
      const r = run({ LINT_LAYERS_ROOT: root });
      expect(r.status).toBe(1);
      const lines = r.stderr.split('\n').filter((l) => /^src\//.test(l));
      const where = lines.map((l) => l.split(': ')[0]).sort();
      expect(where).toEqual([
        'src/cli/c.ts:1',
        'src/engine/x.ts:3', 'src/engine/x.ts:4',
        'src/preload/p.ts:3', 'src/preload/p.ts:4',
        'src/renderer/y.ts:1', 'src/renderer/y.ts:2', 'src/renderer/y.ts:3',
        'src/server/s.ts:1',
        'src/shared/a.ts:2', 'src/shared/b.ts:1', 'src/shared/b.ts:2',
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('ESLint layer rule (telisik/layer-imports)', () => {
  it('reports what the layer lint reports, from the same table', async () => {
    const { ESLint } = await import('eslint');
    const root = join(__dirname, '..', '..');
    const eslint = new ESLint({ cwd: root });
    const text = "import { readFileSync } from 'node:fs';\nimport { x } from '../../engine/workspace/workspace';\nimport { calls } from '../../shared/contract';\nexport const y = [readFileSync, x, calls];\n";
    const [res] = await eslint.lintText(text, { filePath: join(root, 'src', 'renderer', 'app', 'probe.ts') });
    const layer = res.messages.filter((m) => m.ruleId === 'telisik/layer-imports').map((m) => `${m.line}: ${m.message}`);
    expect(layer).toEqual([
      "1: src/renderer must not import Node modules ('node:fs')",
      "2: src/renderer must not import from src/engine ('../../engine/workspace/workspace')",
    ]);
  });
});
