/**
 * Three app instances (separate processes) on one Redis behind a round-robin proxy, against the emulator, with
 * real webhooks through the proxy: the scenarios of issue 6, and the ones that stop or freeze the single
 * redis-server. Then the same scenarios on a 3-master Redis Cluster (every instance's RedisStore and session store
 * on a `createCluster()` client). Both in one file, one after the other, so that the two deployments never load
 * the machine at the same time.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, type Cluster } from './helpers/cluster';
import { caseNames, countOf, newUser, sharedCases, until } from './helpers/multi-instance-cases';

describe('several app instances on one Redis', () => {
  let cluster: Cluster;

  before(async () => {
    cluster = await startCluster();
  });

  after(async () => {
    await cluster?.close();
  });

  test(caseNames.acrossInstances, () => sharedCases.acrossInstances(cluster));
  test(caseNames.duplicateWebhook, () => sharedCases.duplicateWebhook(cluster));
  test(caseNames.phoneLogout, () => sharedCases.phoneLogout(cluster));
  test(caseNames.twoTabs, () => sharedCases.twoTabs(cluster));
  test(caseNames.instanceKilled, () => sharedCases.instanceKilled(cluster));

  test('Redis restarted mid-login: a clear failure or completion, never a login in the wrong session', async () => {
    const redis = cluster.redis;
    assert.ok(redis);
    const users = [await newUser(cluster, 'restart'), await newUser(cluster, 'restart')];
    const browsers = users.map(() => cluster.browser());
    for (const [i, username] of users.entries()) {
      assert.equal((await browsers[i]!.post('/login').send({ username })).status, 202);
    }
    await redis.stop();
    // Redis down: a login cannot start (503, typed), a waiting session gets an error, never a login.
    const fresh = await cluster
      .browser()
      .post('/login')
      .set('x-instance', 'B')
      .set('Accept', 'application/json')
      .send({ username: users[0] });
    assert.equal(fresh.status, 503);
    assert.equal(fresh.body.code, 'ERR_TRUVALIDATE_STORE_UNAVAILABLE');
    const waiting = await browsers[0]!.get('/login/status?wait=0');
    // express-session cannot load the session (connect-redis: client offline) before the strategy runs: the app's
    // error handler answers 500 with that error; the strategy's own routes answer the typed 503 (above).
    assert.equal(waiting.status, 500, JSON.stringify(waiting.body));
    assert.deepEqual(waiting.body, { error: 'The client is offline', code: null });

    await redis.start();
    // Logins work again on every instance without a restart of the app.
    for (const name of ['A', 'B', 'C']) {
      const username = await newUser(cluster, 'recovered');
      const browser = cluster.browser();
      await until(
        async () => (await browser.post('/login').set('x-instance', name).send({ username })).status === 202,
        `login on ${name} after the restart`,
      );
      await cluster.phone.answer(username, 'approve');
      assert.equal((await browser.get('/login/status').set('x-instance', name)).body.status, 'authorized');
      assert.equal((await browser.get('/me')).body.user.username, username);
    }
    // The logins started before the restart: approved now, they complete in their own session or fail clearly.
    const ids = [];
    for (const username of users) ids.push(await cluster.phone.answer(username, 'approve'));
    for (const [i, browser] of browsers.entries()) {
      const status = await browser.get('/login/status');
      assert.ok(
        ['authorized', 'none', 'expired', 'failed'].includes(status.body.status),
        `clear answer: ${JSON.stringify(status.body)}`,
      );
      const me = await browser.get('/me');
      if (status.body.status === 'authorized') assert.equal(me.body.user.username, users[i]);
      else assert.equal(me.status, 401);
    }
    const stats = await cluster.stats();
    for (const id of ids) assert.ok(countOf(stats, 'verified', id) <= 1);
  });

  test('a webhook the store could not take is not acknowledged; its retry is stored; the login completes', async () => {
    const redis = cluster.redis;
    assert.ok(redis);
    const watcher = await cluster.openStore();
    try {
      const username = await newUser(cluster, 'hang');
      const browser = cluster.browser();
      assert.equal((await browser.post('/login').set('x-instance', 'A').send({ username })).status, 202);
      const auth = await cluster.phone.onlyAuth(username);
      cluster.webhookTargets = 'B';
      const captured = cluster.proxy.captured.length;
      redis.pause();
      let delivery;
      try {
        delivery = await cluster.phone.respond(auth.authRequestId, 'approve');
      } finally {
        redis.resume();
        cluster.webhookTargets = null;
      }
      // The store's command timeout ends the wait: a typed store failure, answered 503 so that the API retries.
      assert.equal(delivery.webhook?.status, 503, `webhook answered ${delivery.webhook?.status} while Redis hung`);
      const webhook = cluster.proxy.captured[captured];
      assert.ok(webhook);
      // The API retries: the copy is stored this time (2xx only once stored).
      await until(
        async () => (await cluster.proxy.redeliver(webhook, 'C')) === 204,
        'the retried webhook to be accepted',
      );
      assert.equal((await watcher.getResult(auth.authRequestId))?.status, 'authorized');
      const status = await browser.get('/login/status');
      assert.equal(status.body.status, 'authorized');
      assert.equal((await browser.get('/me')).body.user.username, username);
    } finally {
      await watcher.close();
    }
  });

  test('a session end the store could not take is not acknowledged; its retry logs the user out', async () => {
    const redis = cluster.redis;
    assert.ok(redis);
    const username = await newUser(cluster, 'hang-logout');
    const browser = cluster.browser();
    assert.equal((await browser.post('/login').send({ username })).status, 202);
    await cluster.phone.answer(username, 'approve');
    assert.equal((await browser.get('/login/status')).body.status, 'authorized');
    assert.equal((await browser.get('/me')).status, 200);
    // sessionStart runs in the background: the phone logout must find the user's session.
    await cluster.phone.sessionListed(username);

    cluster.webhookTargets = 'A';
    const captured = cluster.proxy.captured.length;
    redis.pause();
    let answer;
    try {
      answer = await cluster.phone.logout(username);
    } finally {
      redis.resume();
      cluster.webhookTargets = null;
    }
    assert.ok(answer.webhooks.length > 0, 'the phone logout sent a webhook');
    assert.deepEqual(
      answer.webhooks.map((w) => w.status),
      answer.webhooks.map(() => 503),
      JSON.stringify(answer.webhooks),
    );
    const webhook = cluster.proxy.captured[captured];
    assert.ok(webhook);
    await until(
      async () => (await cluster.proxy.redeliver(webhook, 'B')) === 204,
      'the retried session end to be accepted',
    );
    assert.equal((await browser.get('/me')).status, 401);
  });

  test('200 concurrent logins across the three instances, approved in random order: each in its own session', () =>
    sharedCases.concurrentLogins(cluster, 200));
});

describe('several app instances on a 3-master Redis Cluster', () => {
  let cluster: Cluster;

  before(async () => {
    cluster = await startCluster({ redis: 'cluster' });
  });

  after(async () => {
    await cluster?.close();
  });

  test(caseNames.acrossInstances, () => sharedCases.acrossInstances(cluster));
  test(caseNames.duplicateWebhook, () => sharedCases.duplicateWebhook(cluster));
  test(caseNames.phoneLogout, () => sharedCases.phoneLogout(cluster));
  test(caseNames.twoTabs, () => sharedCases.twoTabs(cluster));
  test('40 concurrent logins across the three instances, approved in random order: each in its own session', () =>
    sharedCases.concurrentLogins(cluster, 40));
});
