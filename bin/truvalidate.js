#!/usr/bin/env node
'use strict';
// The `truvalidate` command (the Python SDK CLI's commands on this package's SDK). Runs the build
// (dist/cjs/cli/main.js, from `npm run build`); without a build, or with TRUVALIDATE_CLI_FROM_SOURCE=1, runs the
// TypeScript sources through tsx.
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const built = path.join(root, 'dist', 'cjs', 'cli', 'main.js');
let cli;
if (fs.existsSync(built) && process.env.TRUVALIDATE_CLI_FROM_SOURCE !== '1') {
  cli = require(built);
} else {
  try {
    require('tsx/cjs/api').register();
  } catch (err) {
    console.error('truvalidate: no build found (run `npm run build`) and tsx is not available: ' + err.message);
    process.exit(3);
  }
  cli = require(path.join(root, 'lib', 'cli', 'main.ts'));
}
cli.main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error('truvalidate: ' + (err && err.stack ? err.stack : err));
    process.exit(3);
  },
);
