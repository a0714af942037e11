/**
 * `DEBUG=passport-truvalidate:sdk`: one line per API exchange with method, path, status and time in ms, for a real
 * call pair against the emulator (and a line for a failed exchange), never a key, a JWT, a body or a user name.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { format } from 'node:util';
import createDebug from 'debug';
import { HTTP_ADAPTERS } from '../../lib/sdk/transport/http-transport';
import { JOSETransport, ServiceFactory, UnexpectedAPIResponse } from '../../lib/sdk';
import { linkedUser, respond, startTestEmulator, type Emulator } from './helpers/emulator';

let emu: Emulator;
const lines: string[] = [];
const originalLog = createDebug.log;
let previouslyEnabled = '';

before(async () => {
  emu = await startTestEmulator();
  previouslyEnabled = createDebug.disable();
  createDebug.enable('passport-truvalidate:sdk');
  createDebug.log = (...args: unknown[]) => {
    lines.push(format(...args));
  };
});
after(async () => {
  createDebug.log = originalLog;
  createDebug.disable();
  if (previouslyEnabled) createDebug.enable(previouslyEnabled);
  await emu.close();
});

/** The message part of the captured lines (after the namespace). */
function messages(): string[] {
  return lines.map((l) => l.slice(l.indexOf('passport-truvalidate:sdk ') + 'passport-truvalidate:sdk '.length));
}

for (const adapter of HTTP_ADAPTERS) {
  test(`${adapter}: a call pair logs each exchange with method, path, status and ms, and nothing secret`, async () => {
    lines.length = 0;
    const transport = new JOSETransport({ httpAdapter: adapter });
    const client = new ServiceFactory(emu.service.id, emu.service.privateKey, {
      url: emu.url,
      transport,
    }).makeServiceClient();
    const user = await linkedUser(emu, 'debug-log-user');
    const req = await client.authorizationRequest(user);
    await respond(emu, req.authRequest, 'approve');
    await client.getAdvancedAuthorizationResponse(req.authRequest);
    const got = messages().map((m) => m.replace(/ \d+ ms.*$/, ' N ms'));
    const kidPath = /^GET \/public\/v3\/public-key\/[0-9a-f]{2}(:[0-9a-f]{2}){15} 200 N ms$/;
    assert.deepEqual(
      got.filter((m) => !kidPath.test(m)),
      [
        'GET /public/v3/ping 200 N ms',
        'GET /public/v3/public-key 200 N ms',
        'POST /service/v3/auths 201 N ms',
        `GET /service/v3/auths/${req.authRequest} 200 N ms`,
      ],
    );
    assert.equal(got.filter((m) => kidPath.test(m)).length, 1, 'the signing key fetched by id once');
    const all = lines.join('\n');
    for (const secret of ['IOV-JWT', 'eyJ', 'PRIVATE KEY', 'PUBLIC KEY', user, emu.service.privateKey.slice(40, 80)]) {
      assert.ok(!all.includes(secret), `no ${secret} in the debug lines`);
    }
  });
}

test('a failed exchange logs its method, path, error code and ms', async () => {
  lines.length = 0;
  const transport = new JOSETransport({ timeoutMs: 2000 });
  transport.setUrl('http://127.0.0.1:1', false);
  await assert.rejects(transport.ping(), UnexpectedAPIResponse);
  assert.equal(messages().length, 1);
  assert.match(messages()[0] ?? '', /^GET \/public\/v3\/ping failed \(ECONNREFUSED\) \d+ ms/);
});
