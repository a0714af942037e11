/** Directory users: device linking (with the link webhook and QR image), device list/unlink, TOTP. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { keyId, parseRsaPublicKey } from '../../lib/sdk/transport/keys';
import { base32Decode, base32Encode, totpCode } from '../../lib/emulator/domain/totp';
import { TestClient } from './helpers/client';
import { Fixture } from './helpers/fixture';
import { startReceiver, type Receiver } from './helpers/receiver';
import { checkWebhook } from './helpers/webhook';

let fx: Fixture;
let hooks: Receiver;

before(async () => {
  [fx, hooks] = await Promise.all([Fixture.start(), startReceiver()]);
  fx.emu.setDirectoryWebhookUrl(fx.emu.directory.id, `${hooks.url}/directory-hooks`);
});
after(async () => {
  await fx.close();
  await hooks.close();
});

interface Link {
  qrcode: string;
  code: string;
  device_id: string;
}

describe('device linking', () => {
  test('POST devices creates the user and a pending device; completing the link sends the webhook', async () => {
    const created = await fx.call('dir', 'POST', '/directory/v3/devices', { identifier: 'alice', ttl: 120 });
    assert.equal(created.status, 201);
    const link = created.data as Link;
    assert.match(link.code, /^[A-Za-z0-9]{7}$/);
    assert.equal(link.qrcode, `${fx.emu.url}/_emulator/qrcode/${link.code}.png`);
    assert.match(link.device_id, /^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

    const png = await fetch(link.qrcode);
    assert.equal(png.status, 200);
    assert.equal(png.headers.get('content-type'), 'image/png');
    assert.deepEqual([...Buffer.from(await png.arrayBuffer()).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);

    const listed = await fx.call('dir', 'POST', '/directory/v3/devices/list', { identifier: 'alice' });
    const devices = listed.data as Record<string, unknown>[];
    assert.equal(devices.length, 1);
    assert.equal(devices[0]!['id'], link.device_id);
    assert.equal(devices[0]!['status'], 0);
    assert.deepEqual(Object.keys(devices[0]!).sort(), ['created', 'id', 'name', 'status', 'type', 'updated']);

    const links = (await fx.control('GET', '/links')).json as {
      identifier: string;
      code: string;
      deviceId: string;
      expiresAt: string;
    }[];
    assert.deepEqual(
      links.map((l) => [l.identifier, l.code, l.deviceId]),
      [['alice', link.code, link.device_id]],
    );

    const done = await fx.control('POST', '/devices/link', { code: link.qrcode });
    assert.equal(done.status, 200);
    const r = await hooks.next();
    await checkWebhook(fx.client, r, { aud: fx.entity.dir, sub: fx.entity.dir, path: '/directory-hooks' });
    const event = (await TestClient.decrypt(r.body, [fx.keys.dir])) as Record<string, string>;
    assert.equal(event['type'], 'DEVICE_LINK_COMPLETION');
    assert.equal(event['device_id'], link.device_id);
    assert.equal(keyId(parseRsaPublicKey(event['device_public_key']!)), event['device_public_key_id']);

    const after = (await fx.call('dir', 'POST', '/directory/v3/devices/list', { identifier: 'alice' })).data as {
      status: number;
    }[];
    assert.equal(after[0]!.status, 1);
    assert.deepEqual((await fx.control('GET', '/links')).json, []);
    assert.equal((await fx.control('POST', '/devices/link', { code: link.code })).status, 404);
    assert.equal((await fetch(link.qrcode)).status, 404);

    const users = (await fx.control('GET', '/users')).json as {
      identifier: string;
      directoryId: string;
      devices: { id: string; status: number }[];
      hasTotp: boolean;
    }[];
    const alice = users.find((u) => u.identifier === 'alice');
    assert.equal(alice?.directoryId, fx.emu.directory.id);
    assert.deepEqual(
      alice?.devices.map((d) => [d.id, d.status]),
      [[link.device_id, 1]],
    );
    assert.equal(alice?.hasTotp, false);
  });

  test('an organization acting for the directory gets the link webhook as the organization', async () => {
    const created = await fx.call(
      'org',
      'POST',
      '/directory/v3/devices',
      { identifier: 'olga' },
      { sub: fx.entity.dir },
    );
    await fx.control('POST', '/devices/link', { code: (created.data as Link).code });
    const r = await hooks.next();
    await checkWebhook(fx.client, r, { aud: fx.entity.org, sub: fx.entity.dir, path: '/directory-hooks' });
    assert.equal(
      ((await TestClient.decrypt(r.body, [fx.keys.org])) as { type: string }).type,
      'DEVICE_LINK_COMPLETION',
    );
  });

  test('link codes expire with their ttl', async () => {
    const link = (await fx.call('dir', 'POST', '/directory/v3/devices', { identifier: 'late', ttl: 2 })).data as Link;
    fx.emu.shiftClock(3);
    try {
      assert.equal((await fx.control('POST', '/devices/link', { code: link.code })).status, 404);
    } finally {
      fx.emu.shiftClock(-3);
    }
  });

  test('identifier rules: DIR-001 for a missing one; an unknown user lists []', async () => {
    const bad = await fx.call('dir', 'POST', '/directory/v3/devices', { identifier: '' });
    assert.equal(bad.status, 400);
    assert.equal((bad.data as { error_code: string }).error_code, 'DIR-001');
    assert.deepEqual((await fx.call('dir', 'POST', '/directory/v3/devices/list', { identifier: 'never' })).data, []);
  });

  test('unlink removes a device (pending ones too); unknown user or device is 404', async () => {
    const link = (await fx.call('dir', 'POST', '/directory/v3/devices', { identifier: 'bob' })).data as Link;
    assert.equal(
      (await fx.call('dir', 'DELETE', '/directory/v3/devices', { identifier: 'bob', device_id: link.device_id }))
        .status,
      204,
    );
    assert.deepEqual((await fx.call('dir', 'POST', '/directory/v3/devices/list', { identifier: 'bob' })).data, []);
    assert.equal(
      (await fx.call('dir', 'DELETE', '/directory/v3/devices', { identifier: 'bob', device_id: link.device_id }))
        .status,
      404,
    );
    assert.equal(
      (await fx.call('dir', 'DELETE', '/directory/v3/devices', { identifier: 'nobody', device_id: randomUUID() }))
        .status,
      404,
    );
  });

  test('session list and end-all: [] and 204 for a linked-only user, 404 for an unknown one', async () => {
    assert.deepEqual((await fx.call('dir', 'POST', '/directory/v3/sessions/list', { identifier: 'bob' })).data, []);
    assert.equal((await fx.call('dir', 'DELETE', '/directory/v3/sessions', { identifier: 'bob' })).status, 204);
    assert.equal((await fx.call('dir', 'POST', '/directory/v3/sessions/list', { identifier: 'nobody' })).status, 404);
    assert.equal((await fx.call('dir', 'DELETE', '/directory/v3/sessions', { identifier: 'nobody' })).status, 404);
  });
});

describe('TOTP', () => {
  test(
    'generate for a never-linked identifier, verify through the service, ' + 'read the code from the control API',
    async () => {
      const generated = await fx.call('dir', 'POST', '/directory/v3/totp', { identifier: 'tina' });
      assert.equal(generated.status, 200);
      const totp = generated.data as { secret: string; algorithm: 'SHA1'; period: number; digits: number };
      assert.match(totp.secret, /^[A-Z2-7]{32}$/);
      assert.equal(base32Decode(totp.secret).length, 20);
      assert.deepEqual([totp.algorithm, totp.period, totp.digits], ['SHA1', 30, 6]);

      const code = totpCode(totp, Math.floor(Date.now() / 1000));
      const fromPhone = (await fx.control('GET', '/totp/tina')).json as { code: string };
      assert.match(fromPhone.code, /^\d{6}$/);
      const valid = await fx.call('svc', 'POST', '/service/v3/totp', { identifier: 'tina', otp: fromPhone.code });
      assert.deepEqual(valid.data, { valid: true });
      assert.deepEqual((await fx.call('svc', 'POST', '/service/v3/totp', { identifier: 'tina', otp: code })).data, {
        valid: true,
      });
      const wrong = String((Number(code) + 500_000) % 1_000_000).padStart(6, '0');
      assert.deepEqual((await fx.call('svc', 'POST', '/service/v3/totp', { identifier: 'tina', otp: wrong })).data, {
        valid: false,
      });

      const again = (await fx.call('dir', 'POST', '/directory/v3/totp', { identifier: 'tina' })).data as {
        secret: string;
      };
      assert.notEqual(again.secret, totp.secret);
      assert.equal((await fx.call('dir', 'DELETE', '/directory/v3/totp', { identifier: 'tina' })).status, 204);
      assert.equal((await fx.call('svc', 'POST', '/service/v3/totp', { identifier: 'tina', otp: code })).status, 404);
      assert.equal((await fx.control('GET', '/totp/tina')).status, 404);
      assert.equal((await fx.call('dir', 'DELETE', '/directory/v3/totp', { identifier: 'never-had-one' })).status, 204);
    },
  );

  test('RFC 6238 test vector (SHA1, 8 digits, T = 59)', () => {
    const secret = '12345678901234567890';
    assert.equal(
      totpCode({ secret: base32Encode(Buffer.from(secret)), algorithm: 'SHA1', digits: 8, period: 30 }, 59),
      '94287082',
    );
  });
});
