/**
 * Child process of `optional-qrcode.test.ts` (run with `helpers/without-qrcode.cjs` preloaded): starts an emulator
 * with one pending device link, prints `{ url, code, qrcodeResolvable }` as one JSON line, and closes the emulator
 * when stdin ends.
 */
import { startEmulator } from '../../../lib/emulator';
import { Fixture } from './fixture';

async function run(): Promise<void> {
  const emu = await startEmulator({ port: 0 });
  const fx = await Fixture.wrap(emu);
  const link = await fx.call('dir', 'POST', '/directory/v3/devices', { identifier: 'noqr' });
  let qrcodeResolvable = true;
  try {
    require.resolve('qrcode');
  } catch {
    qrcodeResolvable = false;
  }
  process.stdout.write(
    `${JSON.stringify({ url: emu.url, code: (link.data as { code: string }).code, qrcodeResolvable })}\n`,
  );
  process.stdin.resume();
  process.stdin.on('end', () => void emu.close());
}

void run();
