/**
 * The multi-instance login scenarios (issue 6) as functions of a running deployment, so that they run both on one
 * redis-server (`multi-instance.test.ts`) and on a 3-master Redis Cluster (`multi-instance-cluster.test.ts`).
 */
import assert from 'node:assert/strict';
import type { Cluster, InstanceStats } from './cluster';

let userCount = 0;
/** A fresh linked user (the emulator refuses a second pending push for the same user). */
export async function newUser(cluster: Cluster, stem = 'user'): Promise<string> {
  const username = `${stem}-${++userCount}`;
  await cluster.emulator.linkUser(username);
  return username;
}

/** How many instances recorded `authRequestId` in `field`. */
export function countOf(stats: InstanceStats[], field: 'verified' | 'sessionStarts', authRequestId: string): number {
  return stats.reduce((n, s) => n + s[field].filter((id) => id === authRequestId).length, 0);
}

/** Runs `tasks` with at most `limit` at a time; resolves with their results in order. */
export async function limited<T>(tasks: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await (tasks[index] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/** A shuffled copy of `items`. */
export function shuffled<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/** Waits (bounded) until `check` holds. */
export async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The scenarios every Redis deployment must pass (the names are the test names). */
export const sharedCases = {
  /** login started on A, webhook on B, status on C: one login, one sessionStart */
  acrossInstances: async (cluster: Cluster): Promise<void> => {
    const username = await newUser(cluster);
    const browser = cluster.browser();
    const started = await browser
      .post('/login')
      .set('x-instance', 'A')
      .set('Accept', 'application/json')
      .send({ username });
    assert.equal(started.status, 202);
    assert.equal(started.headers['x-served-by'], 'A');

    cluster.webhookTargets = 'B';
    const authRequestId = await cluster.phone.answer(username, 'approve');
    const webhook = cluster.proxy.log.filter((r) => r.path === '/webhooks/truvalidate').at(-1);
    assert.deepEqual(webhook && [webhook.backend, webhook.status], ['B', 204]);

    const status = await browser.get('/login/status').set('x-instance', 'C');
    assert.equal(status.headers['x-served-by'], 'C');
    assert.equal(status.body.status, 'authorized');
    for (const name of ['A', 'B', 'C']) {
      const me = await browser.get('/me').set('x-instance', name);
      assert.equal(me.status, 200, `logged in on ${name}`);
      assert.equal(me.body.user.username, username);
    }
    const stats = await cluster.stats();
    assert.equal(countOf(stats, 'verified', authRequestId), 1);
    assert.equal(countOf(stats, 'sessionStarts', authRequestId), 1);
    assert.deepEqual(stats.find((s) => s.name === 'C')?.sessionStarts.includes(authRequestId), true);
    const sessions = await cluster.phone.sessionListed(username);
    assert.equal(sessions.filter((s) => s.authRequest === authRequestId).length, 1);
  },
  /** the same webhook delivered to two instances changes the state once */
  duplicateWebhook: async (cluster: Cluster): Promise<void> => {
    const watcher = await cluster.openStore();
    try {
      const published: string[] = [];
      const results: string[] = [];
      await watcher.subscribe((id, result) => {
        published.push(id);
        results.push(`${id}:${result.status}`);
      });
      const username = await newUser(cluster);
      const browser = cluster.browser();
      assert.equal((await browser.post('/login').set('x-instance', 'C').send({ username })).status, 202);

      cluster.webhookTargets = ['A', 'B'];
      const before = cluster.proxy.log.length;
      const authRequestId = await cluster.phone.answer(username, 'approve');
      const deliveries = (): typeof cluster.proxy.log =>
        cluster.proxy.log.slice(before).filter((r) => r.path === '/webhooks/truvalidate');
      await until(() => deliveries().length === 2, 'both deliveries');
      assert.deepEqual(
        deliveries()
          .map((r) => r.backend)
          .sort(),
        ['A', 'B'],
      );
      assert.deepEqual(
        deliveries().map((r) => r.status),
        [204, 204],
      );

      const status = await browser.get('/login/status');
      assert.equal(status.body.status, 'authorized');
      assert.equal((await browser.get('/me')).body.user.username, username);
      // One state change: the result goes from none to authorized once. (A copy that finds the other copy marked
      // seen but its result not stored yet stores the same result again rather than acknowledge unstored data.)
      await watcher.putResult('marker', { status: 'failed' }, 1000);
      await until(() => published.includes('marker'), 'the marker message');
      const mine = results.filter((r) => r.startsWith(`${authRequestId}:`));
      assert.ok(mine.length >= 1 && mine.length <= 2, `published ${mine.length} times`);
      assert.deepEqual(new Set(mine), new Set([`${authRequestId}:authorized`]));
      assert.equal((await watcher.getResult(authRequestId))?.status, 'authorized');
      const stats = await cluster.stats();
      assert.equal(countOf(stats, 'verified', authRequestId), 1);
      assert.equal(countOf(stats, 'sessionStarts', authRequestId), 1);
    } finally {
      cluster.webhookTargets = null;
      await watcher.close();
    }
  },
  /** a logout from the phone reaches the sessions on all three instances */
  phoneLogout: async (cluster: Cluster): Promise<void> => {
    const username = await newUser(cluster);
    const browsers = ['A', 'B', 'C'].map((name) => ({ name, agent: cluster.browser() }));
    for (const { name, agent } of browsers) {
      assert.equal((await agent.post('/login').set('x-instance', name).send({ username })).status, 202);
      await cluster.phone.answer(username, 'approve');
      const status = await agent.get('/login/status').set('x-instance', name);
      assert.equal(status.body.status, 'authorized', `${status.status} ${JSON.stringify(status.body)}`);
    }
    for (const { name, agent } of browsers) {
      assert.equal((await agent.get('/me').set('x-instance', name)).status, 200);
    }
    // sessionStart runs in the background: the phone logout must find the user's session.
    await cluster.phone.sessionListed(username);
    cluster.webhookTargets = 'B';
    await cluster.phone.logout(username);
    cluster.webhookTargets = null;
    for (const { name, agent } of browsers) {
      const me = await agent.get('/me').set('x-instance', name);
      assert.equal(me.status, 401, `session on ${name} logged out`);
    }
  },
  /** two tabs of one session waiting on different instances: one completion */
  twoTabs: async (cluster: Cluster): Promise<void> => {
    const username = await newUser(cluster);
    const browser = cluster.browser();
    assert.equal((await browser.post('/login').set('x-instance', 'A').send({ username })).status, 202);
    const tabs = [
      browser.get('/login/status').set('x-instance', 'B'),
      browser.get('/login/status').set('x-instance', 'C'),
    ];
    const answers = Promise.all(tabs.map((t) => t.then((res) => res)));
    // Both tabs are waiting (long poll) when the phone approves.
    await until(() => cluster.proxy.inFlight.get('/login/status') === 2, 'both tabs waiting');
    const authRequestId = await cluster.phone.answer(username, 'approve');
    const [b, c] = await answers;
    assert.deepEqual([b?.body.status, c?.body.status], ['authorized', 'authorized']);
    const me = await browser.get('/me').set('x-instance', 'A');
    assert.equal(me.status, 200);
    assert.equal(me.body.user.username, username);
    const stats = await cluster.stats();
    assert.equal(countOf(stats, 'verified', authRequestId), 1);
    assert.equal(countOf(stats, 'sessionStarts', authRequestId), 1);
    const sessions = await cluster.phone.sessionListed(username);
    assert.equal(sessions.filter((s) => s.authRequest === authRequestId).length, 1);
  },
  /** instance A killed after the login started: B completes it */
  instanceKilled: async (cluster: Cluster): Promise<void> => {
    const username = await newUser(cluster);
    const browser = cluster.browser();
    assert.equal((await browser.post('/login').set('x-instance', 'A').send({ username })).status, 202);
    await cluster.kill('A');
    try {
      const authRequestId = await cluster.phone.answer(username, 'approve');
      const status = await browser.get('/login/status').set('x-instance', 'B');
      assert.equal(status.body.status, 'authorized');
      const me = await browser.get('/me');
      assert.equal(me.status, 200);
      assert.notEqual(me.headers['x-served-by'], 'A');
      assert.equal(me.body.user.username, username);
      const stats = await cluster.stats();
      assert.equal(countOf(stats, 'verified', authRequestId), 1);
      assert.equal(stats.find((s) => s.name === 'B')?.sessionStarts.includes(authRequestId), true);
    } finally {
      await cluster.restart('A');
    }
  },
  /** N concurrent logins across the three instances, approved in random order: each in its own session */
  concurrentLogins: async (cluster: Cluster, count: number): Promise<void> => {
    const users = await Promise.all(Array.from({ length: count }, () => newUser(cluster, 'bulk')));
    const browsers = users.map(() => cluster.browser());
    const starts = await limited(
      users.map((username, i) => () => browsers[i]!.post('/login').send({ username })),
      50,
    );
    assert.deepEqual(
      starts.filter((r) => r.status !== 202).map((r) => r.status),
      [],
    );
    assert.deepEqual(new Set(starts.map((r) => r.headers['x-served-by'])).size, 3);

    const res = await fetch(`${cluster.emulator.url}/_emulator/auths`);
    const wanted = new Set(users);
    const auths = ((await res.json()) as Array<{ authRequestId: string; user: string }>).filter((a) =>
      wanted.has(a.user),
    );
    assert.equal(auths.length, count);
    await limited(
      shuffled(auths).map((a) => () => cluster.phone.respond(a.authRequestId, 'approve')),
      10,
    );

    const statuses = await limited(
      browsers.map((b) => () => b.get('/login/status')),
      50,
    );
    assert.deepEqual(
      statuses.filter((r) => r.body.status !== 'authorized').map((r) => r.body),
      [],
    );
    const mes = await limited(
      browsers.map((b) => () => b.get('/me')),
      50,
    );
    assert.deepEqual(
      mes.map((r) => r.body.user?.username),
      users,
    );

    const stats = await cluster.stats();
    for (const { authRequestId } of auths) {
      assert.equal(countOf(stats, 'verified', authRequestId), 1);
      assert.equal(countOf(stats, 'sessionStarts', authRequestId), 1);
    }
  },
};

/** Test names of {@link sharedCases}. */
export const caseNames: Record<keyof typeof sharedCases, string> = {
  acrossInstances: 'login started on A, webhook on B, status on C: one login, one sessionStart',
  duplicateWebhook: 'the same webhook delivered to two instances changes the state once',
  phoneLogout: 'a logout from the phone reaches the sessions on all three instances',
  twoTabs: 'two tabs of one session waiting on different instances: one completion',
  instanceKilled: 'instance A killed after the login started: B completes it',
  concurrentLogins: 'concurrent logins across the three instances, approved in random order: each in its own session',
};
