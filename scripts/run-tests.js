'use strict';
// Runs every test file under test/ with Node's own test runner (TypeScript through tsx).
// Usage: node scripts/run-tests.js [substring ...]   (only files whose path contains one of the substrings)
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

function listTests(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listTests(full));
    else if (/\.test\.ts$/.test(entry.name)) out.push(full);
  }
  return out.sort();
}

const filters = process.argv.slice(2);
const root = path.join(__dirname, '..');
const files = listTests(path.join(root, 'test')).filter(
  (f) => filters.length === 0 || filters.some((s) => f.includes(s)),
);
if (files.length === 0) {
  console.error('run-tests: no test files matched');
  process.exit(1);
}
const concurrency = process.env.TEST_CONCURRENCY || '2';
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...files],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
process.exit(result.status === null ? 1 : result.status);
