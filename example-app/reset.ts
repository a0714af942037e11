/**
 * `npm run reset`: clears the demo data, so every name is free again: the emulator's users, devices and keys
 * (`EMULATOR_DATA`, default `.data/emulator`) and the app's accounts (`APP_DATA`, default `.data/app`); with
 * `REDIS_URL`, the accounts hash `example:accounts` in Redis. Stop `npm start` first (a running emulator writes
 * its state back). The next `npm start` creates fresh emulator keys.
 */
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createClient } from 'redis';
import { readEnv } from './config';
import { startupMessage } from './startup-errors';

async function reset(): Promise<void> {
  const settings = readEnv(process.env, path.join(__dirname, '..'));
  for (const [variable, dir] of [
    ['EMULATOR_DATA', settings.emulatorDataDir],
    ['APP_DATA', settings.appDataDir],
  ] as const) {
    if (!existsSync(dir)) {
      console.log(`reset: ${dir} (${variable}) is already empty.`);
      continue;
    }
    rmSync(dir, { recursive: true, force: true });
    console.log(`reset: removed ${dir} (${variable}).`);
  }
  const redisUrl = process.env['REDIS_URL'];
  if (redisUrl) {
    const client = createClient({ url: redisUrl, socket: { connectTimeout: 2000, reconnectStrategy: false } });
    await client.connect();
    try {
      await client.del('example:accounts');
      console.log(`reset: removed the accounts in Redis (${redisUrl}, example:accounts).`);
    } finally {
      await client.close();
    }
  }
  console.log('reset: done; every name is free again. Start with npm start.');
}

reset().catch((error: unknown) => {
  console.error(startupMessage(error).replace('Could not start the example app', 'Could not reset the demo data'));
  process.exit(1);
});
