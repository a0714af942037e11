/**
 * A push start gives the browser a new session id (no session fixation), keeping only `returnTo` (a local path),
 * or every value with Passport's `keepSessionInfo: true`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NextFunction, Request, Response } from 'express';
import passport from 'passport';
import request from 'supertest';
import type { Emulator } from 'passport-truvalidate/emulator';
import { buildTestApp, type BuiltTestApp } from './helpers/app';
import { sessionCookie } from './helpers/cookies';
import { emulatorWithUsers, type Phone } from './helpers/emulator';
import { statusNow } from './helpers/flows';

describe('session regeneration at the start of a login', () => {
  let emulator: Emulator;
  let phone: Phone;
  let built: BuiltTestApp;
  let server: http.Server;
  let url: string;

  before(async () => {
    ({ emulator, phone } = await emulatorWithUsers(['rita', 'rolf', 'ruth']));
    const auth = new passport.Passport();
    built = buildTestApp({ apiUrl: emulator.url, service: emulator.service, passport: auth });
    const session = (req: Request): Record<string, unknown> => req.session as unknown as Record<string, unknown>;
    built.app.post('/note', (req: Request, res: Response) => {
      const body = req.body as Record<string, unknown>;
      session(req)['note'] = body['note'];
      session(req)['returnTo'] = body['returnTo'];
      res.status(204).end();
    });
    built.app.get('/session', (req: Request, res: Response) => {
      res.json({ note: session(req)['note'] ?? null, returnTo: session(req)['returnTo'] ?? null });
    });
    built.app.post('/login-keep', (req: Request, res: Response, next: NextFunction) => {
      auth.authenticate(
        'truvalidate',
        { keepSessionInfo: true },
        (err: unknown, user: Express.User | false, info: unknown, status: number | undefined) => {
          if (err) return next(err);
          res.status(user ? 200 : (status ?? 401)).json(info ?? {});
        },
      )(req, res, next);
    });
    server = http.createServer(built.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    await built.strategy.close();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    await built.store.close();
    await emulator.close();
  });

  test('a start answers with a new session id; the new session keeps returnTo only; the old id is gone', async () => {
    const noted = await request(url).post('/note').send({ note: 'app value', returnTo: '/reports?x=1' });
    const before = sessionCookie(noted);
    assert.ok(before);
    const started = await request(url)
      .post('/login')
      .set('Cookie', `test.sid=${before}`)
      .set('Accept', 'application/json')
      .send({ username: 'rita' });
    assert.equal(started.status, 202);
    const after = sessionCookie(started);
    assert.ok(after && after !== before, 'a new session id');
    assert.deepEqual((await request(url).get('/session').set('Cookie', `test.sid=${after}`)).body, {
      note: null,
      returnTo: '/reports?x=1',
    });
    assert.deepEqual(
      (await request(url).get('/session').set('Cookie', `test.sid=${before}`)).body,
      { note: null, returnTo: null },
      'the old session was destroyed',
    );
    const browser = request.agent(url);
    browser.jar.setCookie(`test.sid=${after}`, '127.0.0.1', '/');
    await phone.answer('rita', 'approve');
    assert.deepEqual((await statusNow(browser)).body, { status: 'authorized', returnTo: '/reports?x=1' });
  });

  test('a returnTo that leaves the site is dropped at the start', async () => {
    const noted = await request(url).post('/note').send({ note: 'n', returnTo: '/\\evil.example' });
    const started = await request(url)
      .post('/login')
      .set('Cookie', `test.sid=${sessionCookie(noted) ?? ''}`)
      .set('Accept', 'application/json')
      .send({ username: 'rolf' });
    assert.equal(started.status, 202);
    assert.deepEqual(
      (
        await request(url)
          .get('/session')
          .set('Cookie', `test.sid=${sessionCookie(started) ?? ''}`)
      ).body,
      { note: null, returnTo: null },
    );
    await request(url)
      .post('/login/cancel')
      .set('Cookie', `test.sid=${sessionCookie(started) ?? ''}`);
  });

  test('with keepSessionInfo: true the new session keeps every value of the old one', async () => {
    const noted = await request(url).post('/note').send({ note: 'kept', returnTo: '/a' });
    const before = sessionCookie(noted);
    const started = await request(url)
      .post('/login-keep')
      .set('Cookie', `test.sid=${before ?? ''}`)
      .set('Accept', 'application/json')
      .send({ username: 'ruth' });
    assert.equal(started.status, 202);
    const after = sessionCookie(started);
    assert.ok(after && after !== before, 'a new session id all the same');
    assert.deepEqual((await request(url).get('/session').set('Cookie', `test.sid=${after}`)).body, {
      note: 'kept',
      returnTo: '/a',
    });
    await request(url).post('/login/cancel').set('Cookie', `test.sid=${after}`);
  });
});
