/** Decoding of authorization response packages (docs/protocol.md §11.5, §A3.3): auth_jwe first, else the legacy
 * RSA `auth` by public_key_id with the docs/protocol.md §13 OP-12 fallback; failures are typed. Uses the transport's
 * own keys only. */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CompactEncrypt } from 'jose';
import {
  AuthResponseReason,
  AuthResponseType,
  EntityKeyNotFound,
  JOSETransport,
  UnexpectedAPIResponse,
  UnexpectedDeviceResponse,
  UnexpectedKeyID,
} from '../../lib/sdk';
import {
  decodeAuthorizationResponse,
  toAdvancedResponse,
  toLegacyResponse,
} from '../../lib/sdk/clients/auth-response-decoder';
import { encryptJwe, rsaOaepEncryptBase64 } from '../../lib/sdk/transport/jose-primitives';
import { keyId, parseRsaPublicKey } from '../../lib/sdk/transport/keys';
import { rsaPair, type PemPair } from './helpers/keys';

const REQ = '6a0c0a3e-9414-11ec-b3c8-9e6bdeced846';
let main: PemPair;
let second: PemPair;
let stranger: PemPair;
let transport: JOSETransport;

function outer(extra: Record<string, unknown>): Record<string, unknown> {
  return {
    auth: '',
    service_user_hash: 'h'.repeat(43),
    org_user_hash: 'o'.repeat(43),
    user_push_id: 'p',
    public_key_id: keyId(main.publicKey),
    ...extra,
  };
}

async function jweTo(pem: string, payload: unknown): Promise<string> {
  const key = parseRsaPublicKey(pem);
  return encryptJwe(JSON.stringify(payload), key, keyId(key));
}

const device = { auth_request: REQ, type: 'AUTHORIZED', reason: 'APPROVED', device_id: 'd1', service_pins: ['1234'] };

before(() => {
  main = rsaPair();
  second = rsaPair();
  stranger = rsaPair();
  transport = new JOSETransport();
  transport.setIssuer('svc', REQ, main.privateKey);
  transport.addEncryptionPrivateKey(second.privateKey);
});

describe('auth_jwe', () => {
  test('authorized only for AUTHORIZED with APPROVED; unknown values map to OTHER', async () => {
    const ok = toAdvancedResponse(
      await decodeAuthorizationResponse(transport, outer({ auth_jwe: await jweTo(main.publicKey, device) }), null),
    );
    assert.equal(ok.authorized, true);
    assert.equal(ok.authMethods, null, 'absent auth_methods gives null');
    assert.equal(ok.policy, null);
    const odd = toAdvancedResponse(
      await decodeAuthorizationResponse(
        transport,
        outer({
          auth_jwe: await jweTo(second.publicKey, {
            ...device,
            reason: 'SOMETHING_NEW',
            type: 'MAYBE',
            auth_methods: [],
          }),
        }),
        null,
      ),
    );
    assert.equal(odd.authorized, false);
    assert.equal(odd.type, AuthResponseType.OTHER);
    assert.equal(odd.reason, AuthResponseReason.OTHER);
    assert.equal(odd.authMethods, null, 'empty auth_methods gives null');
  });

  test('a JWE without kid is tried with every held key (OP-13)', async () => {
    const jwe = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify(device)))
      .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256CBC-HS512' })
      .encrypt(parseRsaPublicKey(second.publicKey));
    const res = toAdvancedResponse(await decodeAuthorizationResponse(transport, outer({ auth_jwe: jwe }), null));
    assert.equal(res.authorizationRequestId, REQ);
  });

  test('a JWE to a key the client does not hold is EntityKeyNotFound', async () => {
    await assert.rejects(
      decodeAuthorizationResponse(transport, outer({ auth_jwe: await jweTo(stranger.publicKey, device) }), null),
      EntityKeyNotFound,
    );
  });

  test('schema failures, non-JSON plaintext and an unknown fence type are UnexpectedDeviceResponse', async () => {
    const bad = [
      { ...device, device_id: undefined },
      { ...device, service_pins: 'x' },
      { ...device, auth_methods: [{ set: true }] },
      { ...device, auth_policy: { requirement: 'amount', amount: 1, geofences: [{ type: 'PLANET', name: 'x' }] } },
    ];
    for (const payload of bad) {
      const decoded = decodeAuthorizationResponse(
        transport,
        outer({ auth_jwe: await jweTo(main.publicKey, payload) }),
        null,
      );
      await assert.rejects(decoded.then(toAdvancedResponse), UnexpectedDeviceResponse);
    }
    const key = parseRsaPublicKey(main.publicKey);
    const notJson = await encryptJwe('not json', key, keyId(key));
    await assert.rejects(
      decodeAuthorizationResponse(transport, outer({ auth_jwe: notJson }), null),
      UnexpectedDeviceResponse,
    );
  });

  test('policy views: AuthorizationResponsePolicy and the legacy AuthPolicy', async () => {
    const payload = {
      ...device,
      auth_policy: {
        requirement: 'types',
        types: ['Knowledge', 'possession'],
        geofences: [{ latitude: 1, longitude: 2, radius: 3, name: 'home' }],
      },
    };
    const decoded = await decodeAuthorizationResponse(
      transport,
      outer({ auth_jwe: await jweTo(main.publicKey, payload) }),
      null,
    );
    const adv = toAdvancedResponse(decoded);
    assert.equal(adv.policy?.knowledgeRequired, true);
    assert.equal(adv.policy?.possessionRequired, true);
    assert.equal(adv.policy?.inherenceRequired, false);
    assert.equal(adv.policy?.fences.length, 1);
    const legacy = toLegacyResponse(decoded);
    assert.equal(legacy.authPolicy?.geofences.length, 1);
  });
});

describe('legacy auth', () => {
  const legacy = { response: true, auth_request: REQ, device_id: 'd1', service_pins: ['1', '2'] };

  test('decrypted with the key named by public_key_id; type, reason and fraud are null', async () => {
    const auth = rsaOaepEncryptBase64(JSON.stringify(legacy), parseRsaPublicKey(second.publicKey));
    const res = toAdvancedResponse(
      await decodeAuthorizationResponse(transport, outer({ auth, public_key_id: keyId(second.publicKey) }), null),
    );
    assert.equal(res.authorized, true);
    assert.equal(res.type, null);
    assert.equal(res.reason, null);
    assert.equal(res.fraud, null);
    assert.deepEqual(res.servicePins, ['1', '2']);
  });

  test('unknown public_key_id falls back to the key of the outer body (OP-12), else UnexpectedKeyID', async () => {
    const auth = rsaOaepEncryptBase64(JSON.stringify(legacy), parseRsaPublicKey(main.publicKey));
    const pkg = outer({ auth, public_key_id: keyId(stranger.publicKey) });
    const res = toAdvancedResponse(await decodeAuthorizationResponse(transport, pkg, keyId(main.publicKey)));
    assert.equal(res.authorized, true);
    await assert.rejects(decodeAuthorizationResponse(transport, pkg, null), UnexpectedKeyID);
  });

  test('undecryptable legacy package is UnexpectedDeviceResponse', async () => {
    await assert.rejects(
      decodeAuthorizationResponse(transport, outer({ auth: 'AAAA' }), null),
      UnexpectedDeviceResponse,
    );
  });
});

test('outer package missing required keys is UnexpectedAPIResponse', async () => {
  for (const key of ['auth', 'service_user_hash', 'user_push_id', 'public_key_id', 'org_user_hash']) {
    const pkg = outer({ auth_jwe: 'x' });
    delete pkg[key];
    await assert.rejects(decodeAuthorizationResponse(transport, pkg, null), UnexpectedAPIResponse, key);
  }
});
