/**
 * Forged and malformed webhooks: encodings, paths, methods, oversize bodies, pre-parsed bodies, wrong signers and
 * tampered bodies are refused and change nothing.
 * Attacks against a real app through the API proxy and the webhook sink of helpers/security-review.ts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import express from 'express';
import request from 'supertest';
import type { Emulator } from 'passport-truvalidate/emulator';
import { signJwt } from '../../lib/sdk/transport/jose-primitives';
import { parseRsaPrivateKey } from '../../lib/sdk/transport/keys';
import type { Phone } from './helpers/emulator';
import { startPush, statusNow } from './helpers/flows';
import {
  ReviewHarness,
  WEBHOOK_PATH,
  WebhookSink,
  deliver,
  jwtClaims,
  type ReviewApp,
} from './helpers/security-review';

describe('security: webhooks', () => {
  const review = new ReviewHarness();
  let emulator: Emulator;
  let phone: Phone;
  let sink: WebhookSink;
  let app: ReviewApp;

  before(async () => {
    ({ emulator, phone, sink, app } = await review.start());
  });

  after(() => review.close());

  test(
    'webhooks: gzip, wrong paths, wrong method, oversized chunked bodies ' + 'are refused and store nothing',
    async () => {
      const browser = request.agent(app.url);
      await startPush(browser, 'kay');
      const from = sink.received.length;
      const id = await phone.answer('kay', 'approve');
      assert.equal(sink.received.length, from + 1);
      const webhook = sink.last();

      const gzipped = await deliver(app.url, webhook, {
        body: gzipSync(webhook.body),
        headers: { 'content-encoding': 'gzip' },
      });
      assert.equal(gzipped.status, 415);
      const gzipUpper = await deliver(app.url, webhook, { headers: { 'content-encoding': 'GZIP' } });
      assert.equal(gzipUpper.status, 415, 'a gzip header on a plain body is refused too');
      // Exact statuses (they were 'any 4xx'), as the SDK's verification answers each path that was not the signed one.
      const expected: [string, number][] = [
        [`${WEBHOOK_PATH}/`, 400],
        [WEBHOOK_PATH.toUpperCase(), 400],
        [`${WEBHOOK_PATH}%2F`, 401],
      ];
      for (const [path, status] of expected) {
        const wrong = await deliver(app.url, webhook, { path });
        assert.equal(wrong.status, status, path);
      }
      const wrongMethod = await deliver(app.url, webhook, { method: 'PUT' });
      assert.equal(wrongMethod.status, 405);
      const chunked = await new Promise<number>((resolve, reject) => {
        const req = http.request(
          `${app.url}${WEBHOOK_PATH}`,
          { method: 'POST', headers: { ...webhook.headers, 'transfer-encoding': 'chunked' } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        for (let i = 0; i < 20; i++) req.write(Buffer.alloc(8192, 0x41));
        req.end();
      });
      assert.equal(chunked, 413);
      assert.equal(await app.store.getResult(id), null, 'nothing was stored');

      const accepted = await deliver(app.url, webhook, { path: `${WEBHOOK_PATH}?username=mallory&path=/other` });
      assert.equal(accepted.status, 204, 'a query string is not part of the signed path');
      assert.equal((await app.store.getResult(id))?.status, 'authorized');
      assert.equal((await statusNow(browser)).body['status'], 'authorized');
      const verifies = app.verifyCalls;
      assert.equal((await deliver(app.url, webhook)).status, 204, 'the replay is acknowledged');
      assert.equal(await app.store.getResult(id).then((r) => r?.status), 'authorized');
      assert.equal((await statusNow(browser)).code, 200);
      assert.equal(app.verifyCalls, verifies, 'the replay completed nothing');
    },
  );

  test(
    'webhooks: a body already parsed by an earlier JSON parser is refused ' + '(500), no logout marker written',
    async () => {
      const browser = request.agent(app.url);
      await startPush(browser, 'lee');
      await phone.answer('lee', 'approve');
      assert.equal((await statusNow(browser)).body['status'], 'authorized');
      await review.sessionListed('lee'); // sessionStart runs in the background: the phone logout must find it
      const hash = (await browser.get('/me')).body.user.serviceUserHash as string;
      const from = sink.received.length;
      await phone.logout('lee');
      assert.equal(sink.received.length, from + 1);
      const sessionEnd = sink.last();
      assert.match(sessionEnd.headers['content-type'] ?? '', /json/);

      const parsedFirst = express();
      parsedFirst.use(express.json());
      parsedFirst.post(WEBHOOK_PATH, app.strategy.webhook());
      const server = http.createServer(parsedFirst);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const answer = await deliver(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, sessionEnd);
        assert.equal(answer.status, 500);
        assert.match(answer.body, /before body parsers/);
      } finally {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      }
      assert.equal(await app.store.loggedOutAt(hash), null);
      assert.equal((await browser.get('/me')).status, 200);
      assert.equal((await deliver(app.url, sessionEnd)).status, 204);
      assert.equal((await browser.get('/me')).status, 401, 'the same webhook, raw, logs the user out');
    },
  );

  test(
    'webhooks: a JWT from the wrong signer or a tampered body changes ' +
      'nothing, and does not block the genuine copy',
    async () => {
      const browser = request.agent(app.url);
      await startPush(browser, 'max');
      const from = sink.received.length;
      const id = await phone.answer('max', 'approve');
      assert.equal(sink.received.length, from + 1);
      const genuine = sink.last();
      const claims = jwtClaims(genuine.headers['x-iov-jwt'] ?? '');
      const tamperedBody = Buffer.from(genuine.body);
      tamperedBody[20] = (tamperedBody[20] as number) === 0x41 ? 0x42 : 0x41;
      assert.equal((await deliver(app.url, genuine, { body: tamperedBody })).status, 400);

      const forgedJwt = await signJwt(
        { ...claims, jti: 'forged-jti' },
        parseRsaPrivateKey(emulator.service.privateKey),
        'RS256',
        emulator.state.apiSigningKey().id,
        'JWT',
      );
      const forged = await deliver(app.url, genuine, { headers: { 'x-iov-jwt': forgedJwt } });
      assert.equal(forged.status, 400);
      assert.equal(await app.store.getResult(id), null);
      // The genuine one still works afterwards: the forged copy did not poison the replay cache.
      assert.equal((await deliver(app.url, genuine)).status, 204);
      assert.equal((await app.store.getResult(id))?.status, 'authorized');
      assert.equal((await statusNow(browser)).body['status'], 'authorized');
    },
  );
});
