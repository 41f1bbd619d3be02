// Call records: a real call through the stack becomes one correct record in GET /v1/calls (tenant
// API key), and a user signed in with an access token sees their own recent calls on the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ACCOUNT, DOMAIN } from '../support/stack.mjs';
import { dial, endCall, hangup, signInWithToken } from '../support/browser.mjs';
import { callAndAnswer, withPbx, withUser } from '../support/calls.mjs';
import { accessToken, demoTenantKey, json } from '../support/account.mjs';

const screenshots = resolve(import.meta.dirname, '../../target/screenshots');

/** Every record of the tenant with this Call-ID (newest 1000 calls). */
async function recordsOf(key, callId) {
  const page = await json(`${ACCOUNT}/v1/calls?pageSize=1000`, { key });
  return page.calls.filter((c) => c.callId === callId);
}

/** Waits (bounded) until the call's record shows the call ended; returns every record with that Call-ID. */
async function endedRecord(key, callId, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  let found = [];
  while (Date.now() < until) {
    found = await recordsOf(key, callId);
    if (found.length > 0 && found.every((c) => c.endedAt)) return found;
    await sleep(300);
  }
  assert.fail(`no ended record for Call-ID ${callId} after ${timeoutMs} ms: ${JSON.stringify(found)}`);
}

/** The checks every completed call's record passes: one record, answered, ended, talk time. */
async function assertOneCompletedRecord(key, callId, expected) {
  const found = await endedRecord(key, callId);
  assert.equal(found.length, 1, `exactly one record for the call: ${JSON.stringify(found)}`);
  const [r] = found;
  assert.equal(r.status, 'completed');
  assert.equal(r.direction, expected.direction);
  assert.match(r.from, expected.from);
  assert.match(r.to, expected.to);
  assert.equal(r.user, expected.user);
  assert.equal(r.hangupBy, expected.hangupBy);
  assert.ok(r.answeredAt && r.endedAt, `answer and end times: ${JSON.stringify(r)}`);
  assert.ok(Date.parse(r.startedAt) <= Date.parse(r.answeredAt), 'started before answered');
  assert.ok(Date.parse(r.answeredAt) < Date.parse(r.endedAt), 'answered before ended');
  assert.ok(r.talkDurationMs > 0, `talk duration ${r.talkDurationMs}`);
  // the record keeps sub-millisecond times; the ISO strings parsed here are cut to milliseconds
  const shown = Date.parse(r.endedAt) - Date.parse(r.answeredAt);
  assert.ok(Math.abs(r.talkDurationMs - shown) <= 1, `talk ${r.talkDurationMs} ms, answer to end ${shown} ms`);
  // read again: still the very same single record
  assert.deepEqual(await recordsOf(key, callId), [r]);
  const one = await json(`${ACCOUNT}/v1/calls/${r.id}`, { key });
  assert.equal(one.callId, callId);
  assert.equal(one.events.at(-1).type, 'ended');
  assert.equal(one.events.filter((e) => e.type === 'ended').length, 1, 'one ended event');
  return r;
}

export function register(ctx) {
  let key;
  let alicePbxCallId;

  test('alice calls bob, bob answers, alice hangs up: one completed internal record with talk time', { timeout: 90_000 }, async () => {
    key ??= await demoTenantKey(ctx.stack);
    const { alice, browser } = ctx;
    let callId;
    await withUser(browser, 'bob', async (bob) => {
      try {
        await callAndAnswer(alice, bob, 'bob');
        callId = await alice.evaluate(() => window.webcallApp.call.callId);
        assert.ok(callId, 'the SDK knows the Call-ID');
        await sleep(1200); // some talk time
        await hangup(alice);
        await bob.waitForFunction(() => !window.webcallApp.call, null, { timeout: 10_000 });
      } finally {
        await endCall(alice);
      }
    });
    await assertOneCompletedRecord(key, callId, {
      direction: 'internal', from: new RegExp(`^sip:alice@${DOMAIN}`), to: new RegExp(`^sip:bob@${DOMAIN}`),
      user: 'alice', hangupBy: 'caller',
    });
  });

  test('alice calls the PBX (sipp), it answers, alice hangs up: one completed outbound record', { timeout: 90_000 }, async () => {
    key ??= await demoTenantKey(ctx.stack);
    const { alice } = ctx;
    let callId;
    await withPbx(alice, 'uas', { mediaPort: 16900 }, async (pbx) => {
      await dial(alice, '5551234');
      callId = await alice.evaluate(() => window.webcallApp.call.callId);
      await sleep(1000); // some talk time
      await hangup(alice);
      assert.equal(await pbx.exit, 0, `sipp UAS did not complete the call:\n${pbx.output.slice(-2000)}`);
    });
    alicePbxCallId = callId;
    await assertOneCompletedRecord(key, callId, {
      direction: 'outbound', from: new RegExp(`^sip:alice@${DOMAIN}`), to: /5551234/, user: 'alice', hangupBy: 'caller',
    });
  });

  test("bob signs in with an access token and the page lists his recent calls (alice's call, incoming, completed)", { timeout: 60_000 }, async () => {
    key ??= await demoTenantKey(ctx.stack);
    const token = await accessToken(key, 'bob');
    const page = await signInWithToken(ctx.browser, token);
    const context = page.context();
    try {
      await page.waitForFunction(() => /incoming/.test(document.querySelector('#recent')?.textContent ?? ''), null, { timeout: 10_000 });
      const items = await page.$$eval('#recent li', (lis) => lis.map((li) => li.textContent));
      assert.ok(items.some((t) => /alice/.test(t) && /incoming · completed/.test(t)), `recent calls: ${JSON.stringify(items)}`);
      // the page shows what bob's token may read: only calls bob placed or received
      const mine = (await json(`${ACCOUNT}/v1/calls?pageSize=20`, { key: token })).calls;
      assert.equal(items.length, mine.length, `recent calls: ${JSON.stringify(items)}`);
      const bobs = (c) => c.user === 'bob' || /^sip:bob@/.test(c.from) || /^sip:bob@/.test(c.to);
      assert.ok(mine.every(bobs), `bob's token reads only his calls: ${JSON.stringify(mine)}`);
      assert.ok(!mine.some((c) => c.callId === alicePbxCallId), "alice's call to the PBX is not listed for bob");
      assert.equal((await recordsOf(key, alicePbxCallId)).length, 1, "the tenant's key sees alice's call to the PBX");
      mkdirSync(screenshots, { recursive: true });
      const shot = join(screenshots, 'softphone-recent-calls.png');
      await page.screenshot({ path: shot });
      assert.ok(statSync(shot).size > 5000, 'screenshot written');
    } finally {
      await context.close();
    }
  });
}
