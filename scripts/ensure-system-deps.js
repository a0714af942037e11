'use strict';
// Installs the Debian packages the test suite needs when they are missing (redis-server for the Redis store
// tests, chromium for the browser tests, openssl for the certificates of the Redis TLS test). These machines run
// as root with apt-get; elsewhere it only warns.
const { execSync } = require('node:child_process');
const fs = require('node:fs');

const needed = [
  { bin: '/usr/bin/redis-server', pkg: 'redis-server' },
  { bin: '/usr/bin/chromium', pkg: 'chromium' },
  { bin: '/usr/bin/curl', pkg: 'curl' },
  { bin: '/usr/bin/openssl', pkg: 'openssl' },
];
const missing = needed.filter((n) => !fs.existsSync(n.bin)).map((n) => n.pkg);
if (missing.length === 0) process.exit(0);
if (typeof process.getuid === 'function' && process.getuid() !== 0) {
  console.warn(`ensure-system-deps: missing ${missing.join(', ')}; install them with apt-get (needs root).`);
  process.exit(0);
}
console.log(`ensure-system-deps: installing ${missing.join(', ')} with apt-get ...`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execSync('apt-get update -qq', { stdio: 'inherit', env });
execSync(`apt-get install -y -qq --no-install-recommends ${missing.join(' ')}`, { stdio: 'inherit', env });
