'use strict';
// Removes dist/ before a build, so that files of deleted or renamed modules never reach the package.
const fs = require('node:fs');
const path = require('node:path');

fs.rmSync(path.join(__dirname, '..', 'dist'), { recursive: true, force: true });
