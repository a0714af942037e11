/**
 * `qrcode` is an optional peer dependency: without it the emulator starts and works, and only the QR code image
 * route answers, with a message naming `npm install qrcode`.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { QRCODE_MISSING_MESSAGE } from '../../lib/emulator/device/qr-image';

let child: ChildProcessWithoutNullStreams;
let started: { url: string; code: string; qrcodeResolvable: boolean };

before(async () => {
  child = spawn(
    process.execPath,
    [
      '-r',
      join(__dirname, 'helpers', 'without-qrcode.cjs'),
      '--import',
      'tsx',
      join(__dirname, 'helpers', 'emulator-without-qrcode.ts'),
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  started = await new Promise((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) resolve(JSON.parse(out) as typeof started);
    });
    child.on('exit', (code) => reject(new Error(`child exited ${String(code)}: ${out} ${err}`)));
  });
});
after(async () => {
  const exited = new Promise((resolve) => child.on('exit', resolve));
  child.stdin.end();
  await exited;
});

test(
  'without qrcode installed the emulator starts; the image route answers ' + '501 naming npm install qrcode',
  async () => {
    assert.equal(started.qrcodeResolvable, false);
    const res = await fetch(`${started.url}/_emulator/qrcode/${started.code}.png`);
    assert.equal(res.status, 501);
    assert.deepEqual(await res.json(), { error: QRCODE_MISSING_MESSAGE });
    assert.match(QRCODE_MISSING_MESSAGE, /npm install qrcode/);
  },
);

test('without qrcode the page, the links and linking still work', async () => {
  assert.equal((await fetch(`${started.url}/_emulator/`)).status, 200);
  const links = (await (await fetch(`${started.url}/_emulator/links`)).json()) as { code: string }[];
  assert.deepEqual(
    links.map((l) => l.code),
    [started.code],
  );
  const linked = await fetch(`${started.url}/_emulator/devices/link`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ code: started.code }),
  });
  assert.equal(linked.status, 200);
});
