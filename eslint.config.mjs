// ESLint (`npm run lint`, beside scripts/lint-layers.mjs): typescript-eslint's recommended rules without type
// information (the type-checked rules need the TypeScript program, and `tsc` = TypeScript 7 checks types anyway:
// `npm run typecheck`), React's hook rules for the renderer, and the layering of src/ as an import rule that reports
// in the editor (telisik/layer-imports: the same table as scripts/lint-layers.mjs, scripts/layers.mjs).
import './scripts/eslint-typescript.cjs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import { importProblem } from './scripts/layers.mjs';

const src = join(dirname(fileURLToPath(import.meta.url)), 'src');

/** Reports every import, export-from, require() and import() that crosses a layer boundary of src/. */
const layerImports = {
  meta: { type: 'problem', docs: { description: 'Layer boundaries of src/ (scripts/layers.mjs)' }, schema: [] },
  create(context) {
    const file = context.filename;
    const check = (node) => {
      if (!node || node.type !== 'Literal' || typeof node.value !== 'string') return;
      const problem = importProblem(src, file, node.value);
      if (problem) context.report({ node, message: `${problem} ('${node.value}')` });
    };
    return {
      ImportDeclaration: (n) => check(n.source),
      ExportAllDeclaration: (n) => check(n.source),
      ExportNamedDeclaration: (n) => check(n.source),
      ImportExpression: (n) => check(n.source),
      TSImportEqualsDeclaration: (n) => check(n.moduleReference?.expression),
      CallExpression: (n) => { if (n.callee.type === 'Identifier' && n.callee.name === 'require') check(n.arguments[0]); },
    };
  },
};

export default tseslint.config(
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'docs/**', 'resources/**', '**/*.d.ts'] },
  {
    // ESLint 10 ships no preset of its own rules without @eslint/js: the core rules that catch real mistakes here.
    rules: {
      'no-control-regex': 'error', 'no-debugger': 'error', 'no-dupe-keys': 'error', 'no-duplicate-case': 'error',
      'no-empty-pattern': 'error', 'no-fallthrough': 'error', 'no-self-assign': 'error', 'no-unreachable': 'error',
      'no-unsafe-finally': 'error', 'no-cond-assign': ['error', 'except-parens'], 'no-constant-condition': ['error', { checkLoops: false }],
      'no-sparse-arrays': 'error', 'use-isnan': 'error', 'valid-typeof': 'error', 'no-var': 'error', 'prefer-const': 'error',
    },
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,mts,cts}'],
    rules: {
      // `tsc` (noUnusedLocals/noUnusedParameters) reports these already; `_`-prefixed names are deliberate.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // TypeScript resolves names; ESLint's no-undef does not know the DOM/Node globals per layer.
      'no-undef': 'off',
      // The service's handler table refers to the service as `svc` (handlers are arrow functions in an object).
      '@typescript-eslint/no-this-alias': ['error', { allowedNames: ['svc'] }],
    },
  },
  {
    files: ['src/**/*.{ts,tsx,mts,cts,js,mjs,cjs}'],
    plugins: { telisik: { rules: { 'layer-imports': layerImports } } },
    rules: { 'telisik/layer-imports': 'error' },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  {
    // CommonJS entry points (bin/) and the linter's own TypeScript hook.
    files: ['bin/**/*.js', 'scripts/**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly' } },
  },
);
