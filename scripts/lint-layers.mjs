#!/usr/bin/env node
// Layering lint (part of `npm run lint`, beside ESLint's telisik/layer-imports rule): each folder of src/ may import
// only what may run where it runs — the table is in scripts/layers.mjs. This scan needs no dependencies and catches
// require()/import() in any file; it prints file:line for every violation and exits 1.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importProblem } from './layers.mjs';

const root = process.env.LINT_LAYERS_ROOT ? resolve(process.env.LINT_LAYERS_ROOT) : resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');

const IMPORT_RE = [
  /(?:^|[^\w$.])import\s+(?:type\s+)?(?:[\w$*{}\s,]+?\s+from\s+)?['"]([^'"]+)['"]/g,
  /(?:^|[^\w$.])export\s+(?:type\s+)?(?:\*|\{[^}]*\})(?:\s+as\s+[\w$]+)?\s+from\s+['"]([^'"]+)['"]/g,
  /(?:^|[^\w$.])require\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  /(?:^|[^\w$.])import\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
];

function* files(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) { if (e.name !== 'node_modules') yield* files(p); }
    else if (/\.(ts|tsx|mts|cts|js|mjs|cjs|jsx)$/.test(e.name) && !e.name.endsWith('.d.ts')) yield p;
  }
}

function stripComments(text) {
  // Keep line structure so line numbers stay right.
  return text
    .replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' '))
    .replace(/(^|[^:'"`\\])\/\/[^\n]*/g, (m, p1) => p1 + ' '.repeat(m.length - p1.length));
}

const violations = [];
let count = 0;
for (const file of files(src)) {
    const text = stripComments(readFileSync(file, 'utf8'));
  count++;
  for (const re of IMPORT_RE) {
    re.lastIndex = 0;
    let m;
    while ((m = re.exec(text))) {
      const spec = m[1];
      const problem = importProblem(src, file, spec);
      if (problem) {
        const line = text.slice(0, m.index + m[0].indexOf(spec)).split('\n').length;
        violations.push(`${relative(root, file)}:${line}: ${problem} ('${spec}')`);
      }
    }
  }
}

if (violations.length) {
  for (const v of [...new Set(violations)]) console.error(v);
  console.error(`\nlint-layers: ${new Set(violations).size} violation(s) in ${count} files`);
  process.exit(1);
}
console.log(`lint-layers: ${count} files, layering OK`);
