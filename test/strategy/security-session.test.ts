/**
 * Session binding, fixation and redirects: a login belongs to the browser session that started it, survives no logout,
 * is never started from a query string or a non-string username, gets a fresh session id, and never hands the waiting
 * page an off-site returnTo.
 * Attacks against a real app through the API proxy and the webhook sink of helpers/security-review.ts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { sessionCookie } from './helpers/cookies';
import type { Phone } from './helpers/emulator';
import { startPush, statusNow } from './helpers/flows';
import { ApiProxy, ReviewHarness, type ReviewApp } from './helpers/security-review';

describe('security: session', () => {
  const review = new ReviewHarness();
  let phone: Phone;
  let proxy: ApiProxy;
  let app: ReviewApp;

  before(async () => {
    ({ phone, proxy, app } = await review.start());
  });

  after(() => review.close());

  test("binding: session B can neither see, cancel, take over nor complete session A's login", async () => {
    const a = request.agent(app.url);
    const b = request.agent(app.url);
    await startPush(a, 'amy');
    const pushes = proxy.count('POST /service/v3/auths');
    assert.deepEqual((await b.get('/login/pending')).body, { pending: null });
    assert.deepEqual((await b.post('/login/cancel')).body, { canceled: false });
    assert.equal((await statusNow(b)).code, 404);
    const takeOver = await b.post('/login').set('Accept', 'application/json').send({ username: 'amy' });
    assert.equal(takeOver.status, 409);
    assert.equal(proxy.count('POST /service/v3/auths'), pushes + 1, 'one API call, answered busy');
    assert.equal((await phone.auths('amy')).length, 1, 'no second push');

    const own = (await a.get('/login/pending')).body.pending as { authRequestId: string; username: string };
    assert.equal(own.username, 'amy');
    const record = await app.store.getPending(own.authRequestId);
    assert.match(String(record?.bindingHash), /^[0-9a-f]{64}$/);
    assert.equal(JSON.stringify(record).includes('"binding"'), false, 'the store keeps only the hash');

    await phone.respond(own.authRequestId, 'approve');
    assert.equal((await statusNow(b)).code, 404);
    assert.equal((await b.post('/login').set('Accept', 'application/json').send({})).status, 400);
    assert.equal((await b.get('/me')).status, 401);
    assert.equal((await statusNow(a)).body['status'], 'authorized');
    assert.equal((await a.get('/me')).body.user.username, 'amy');
  });

  test('binding: a pending login does not survive req.logout() (approval afterwards logs nobody in)', async () => {
    const browser = request.agent(app.url);
    await startPush(browser, 'ben');
    await phone.answer('ben', 'approve');
    assert.equal((await statusNow(browser)).body['status'], 'authorized');
    await startPush(browser, 'cat');
    assert.equal((await browser.post('/logout')).status, 204);
    await phone.answer('cat', 'approve');
    const after = await statusNow(browser);
    assert.equal(after.code, 404, JSON.stringify(after.body));
    assert.equal((await browser.post('/login').set('Accept', 'application/json').send({})).status, 400);
    assert.equal((await browser.get('/me')).status, 401);
  });

  test('binding: a username in the query string, an array or an object never starts a push', async () => {
    const pushes = proxy.count('POST /service/v3/auths');
    const viaQuery = await request(app.url).post('/login?username=dan').set('Accept', 'application/json').send({});
    assert.equal(viaQuery.status, 400);
    const viaArray = await request(app.url)
      .post('/login')
      .set('Accept', 'application/json')
      .send({ username: ['dan'] });
    assert.equal(viaArray.status, 400);
    const viaObject = await request(app.url)
      .post('/login')
      .set('Accept', 'application/json')
      .send({ username: { toString: 'dan' } });
    assert.equal(viaObject.status, 400);
    assert.equal(proxy.count('POST /service/v3/auths'), pushes);
    assert.deepEqual(await phone.auths('dan'), []);
  });

  test(
    'session fixation: a start gives the browser a new session id; a ' + 'planted pre-login id never sees the login',
    async () => {
      // The attacker gets a valid session id (any page that stores something in the session) and plants it in the
      // victim's browser (cookie tossing from a sibling subdomain, a shared kiosk, ...).
      const planted = sessionCookie(await request(app.url).get('/account'));
      assert.ok(planted);
      const victimStart = await request(app.url)
        .post('/login')
        .set('Cookie', `test.sid=${planted}`)
        .set('Accept', 'application/json')
        .send({ username: 'wes' });
      assert.equal(victimStart.status, 202);
      await phone.answer('wes', 'approve'); // the victim approves the push they asked for
      // The attacker polls with the same (pre-login) session id before the victim's waiting page does.
      const stolen = await request(app.url).get('/login/status?wait=0').set('Cookie', `test.sid=${planted}`);
      const attackerCookie = sessionCookie(stolen) ?? planted;
      const me = await request(app.url).get('/me').set('Cookie', `test.sid=${attackerCookie}`);
      assert.equal(me.status, 401, `the attacker's session is logged in as ${JSON.stringify(me.body.user)}`);
    },
  );

  test('open redirect: the status answer never hands a protocol-relative returnTo to the waiting page', async () => {
    const browser = request.agent(app.url);
    assert.equal((await browser.get('//evil.example/phish')).status, 401); // the app stores req.originalUrl
    await startPush(browser, 'vic');
    await phone.answer('vic', 'approve');
    const status = await statusNow(browser);
    assert.equal(status.body['status'], 'authorized');
    const returnTo = status.body['returnTo'];
    assert.ok(
      returnTo === undefined || (typeof returnTo === 'string' && /^\/(?![/\\])/.test(returnTo)),
      `returnTo ${JSON.stringify(returnTo)} leaves the site`,
    );
  });
});
