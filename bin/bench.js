#!/usr/bin/env node
// Runs the TypeScript benchmark harness directly (tsx), like bin/telisik.js. See src/bench/run.ts and docs/scaling.md.
require('tsx/cjs/api').register();
require('../src/bench/run.ts').main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(err && err.stack ? err.stack : String(err)); process.exitCode = 1; },
);
