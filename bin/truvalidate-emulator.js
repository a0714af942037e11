#!/usr/bin/env node
'use strict';
// The `truvalidate-emulator` command. Runs the built emulator (dist/cjs/emulator/cli.js, from `npm run build`);
// without a build, or with TRUVALIDATE_EMULATOR_FROM_SOURCE=1, runs the TypeScript sources through tsx.
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const built = path.join(root, 'dist', 'cjs', 'emulator', 'cli.js');
let cli;
if (fs.existsSync(built) && process.env.TRUVALIDATE_EMULATOR_FROM_SOURCE !== '1') {
  cli = require(built);
} else {
  try {
    require('tsx/cjs/api').register();
  } catch (err) {
    console.error(
      'truvalidate-emulator: no build found (run `npm run build`) and tsx is not available: ' + err.message,
    );
    process.exit(1);
  }
  cli = require(path.join(root, 'lib', 'emulator', 'cli.ts'));
}
cli.main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error('truvalidate-emulator: ' + (err && err.stack ? err.stack : err));
    process.exit(1);
  },
);
