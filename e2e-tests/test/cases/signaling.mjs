// Call control through the edge: ringing, answer, hang-up, DTMF and PBX calls in both directions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { dial, hangup, endCall } from '../support/browser.mjs';
import { answerIncoming, callAndAnswer, withPbx, withUser } from '../support/calls.mjs';

const screenshots = resolve(import.meta.dirname, '../../target/screenshots');

export function register(ctx) {
  test('alice calls bob: bob\'s page rings with her name, he answers and both pages show the call', { timeout: 60_000 }, async () => {
    const { alice, browser } = ctx;
    await withUser(browser, 'bob', async (bob) => {
      await alice.fill('#target', 'bob');
      await alice.click('#call-button');
      await bob.waitForSelector('#incoming:not([hidden])', { timeout: 10_000 });
      assert.equal(await bob.textContent('#incoming-name'), 'alice');
      await bob.click('#answer');
      await alice.waitForFunction(() => window.webcallApp.call?.state === 'active', null, { timeout: 15_000 });
      await bob.waitForFunction(() => window.webcallApp.call?.state === 'active', null, { timeout: 5_000 });
      assert.equal(await alice.textContent('#call-state'), 'Connected');
      assert.equal(await bob.textContent('#peer-name'), 'alice');
      await hangup(alice);
      await bob.waitForFunction(() => !window.webcallApp.call, null, { timeout: 10_000 });
    });
  });

  test('alice calls a number on the PBX (sipp): it answers, DTMF digits reach it, and the in-call page is captured', { timeout: 60_000 }, async () => {
    const { alice } = ctx;
    await withPbx(alice, 'uas', { mediaPort: 16000 }, async (pbx) => {
      await dial(alice, '5551234');
      await alice.evaluate(() => window.webcallApp.call.sendDigits('12#', { transport: 'info' }));
      await alice.click('#show-keypad');
      await alice.click('#dtmf-pad button[data-digit="9"]');
      assert.equal(await alice.textContent('#dtmf-sent'), '9');
      const until = Date.now() + 8000;
      while (!pbx.infoDigits().startsWith('12#') && Date.now() < until) await sleep(200);
      assert.match(pbx.infoDigits(), /^12#/, `digits seen by the PBX: "${pbx.infoDigits()}"`);
      mkdirSync(screenshots, { recursive: true });
      const shot = join(screenshots, 'softphone-in-call.png');
      await alice.screenshot({ path: shot });
      assert.ok(statSync(shot).size > 5000, 'screenshot written');
      await hangup(alice);
      assert.equal(await pbx.exit, 0, `sipp UAS did not complete the call:\n${pbx.output.slice(-2000)}`);
    });
  });

  test('the PBX (sipp) calls alice: her page rings, she answers and the PBX ends the call', { timeout: 60_000 }, async () => {
    const { alice } = ctx;
    await withPbx(alice, 'uac', { user: 'alice', mediaPort: 16100 }, async (pbx) => {
      await alice.waitForSelector('#incoming:not([hidden])', { timeout: 15_000 });
      assert.equal(await alice.textContent('#incoming-name'), 'pbx');
      await answerIncoming(alice, { timeoutMs: 10_000 });
      assert.equal(await pbx.exit, 0, `sipp UAC did not complete the call:\n${pbx.output.slice(-2000)}`);
      await alice.waitForFunction(() => !window.webcallApp.call, null, { timeout: 10_000 });
    });
  });

  test('hold and resume re-INVITE the PBX with sendonly, then sendrecv', { timeout: 60_000 }, async () => {
    const { alice } = ctx;
    await withPbx(alice, 'uas', { mediaPort: 16600 }, async (pbx) => {
      await dial(alice, '5551234');
      await alice.click('#hold');
      await alice.waitForFunction(() => window.webcallApp.call.onHold, null, { timeout: 10_000 });
      assert.equal(await alice.getAttribute('#hold', 'aria-pressed'), 'true');
      await alice.click('#hold');
      await alice.waitForFunction(() => !window.webcallApp.call.onHold, null, { timeout: 10_000 });
      assert.equal(await alice.getAttribute('#hold', 'aria-pressed'), 'false');
      const until = Date.now() + 5000;
      while (pbx.receivedRequests('INVITE').length < 3 && Date.now() < until) await sleep(100);
      const invites = pbx.receivedRequests('INVITE');
      assert.equal(invites.length, 3, `INVITEs seen by the PBX: ${invites.length}`);
      assert.match(invites[1], /^a=sendonly/m, 'hold offer');
      assert.match(invites[2], /^a=sendrecv/m, 'resume offer');
      await hangup(alice);
      assert.equal(await pbx.exit, 0, `sipp UAS did not complete the call:\n${pbx.output.slice(-2000)}`);
    });
  });

  test("alice transfers bob to the PBX (blind REFER): bob's phone calls it and alice's call ends", { timeout: 60_000 }, async () => {
    const { alice, browser } = ctx;
    await withUser(browser, 'bob', (bob) => withPbx(alice, 'uas', { mediaPort: 16700 }, async (pbx) => {
      await callAndAnswer(alice, bob, 'bob');
      await alice.click('#transfer');
      await alice.fill('#transfer-target', '5551234');
      await alice.click('#transfer-form button[type="submit"]');
      // bob's page switches to the new call, which the PBX answers
      await bob.waitForFunction(() => window.webcallApp.call?.target === '5551234' || /5551234/.test(window.webcallApp.call?.remoteUri ?? ''), null, { timeout: 10_000 });
      await bob.waitForFunction(() => window.webcallApp.call?.state === 'active', null, { timeout: 10_000 });
      assert.equal(await bob.textContent('#peer-name'), '5551234');
      await alice.waitForFunction(() => !window.webcallApp.call, null, { timeout: 10_000 });
      assert.match(pbx.receivedRequests('INVITE')[0] ?? '', /^From:.*sip:bob@/m, 'the PBX is called by bob');
      await hangup(bob);
      assert.equal(await pbx.exit, 0, `sipp UAS did not complete the call:\n${pbx.output.slice(-2000)}`);
    }));
  });

  test('alice sends bob a text message (SIP MESSAGE) and his phone receives it', { timeout: 45_000 }, async () => {
    const { alice, browser } = ctx;
    await withUser(browser, 'bob', async (bob) => {
      await bob.evaluate(() => {
        window.messages = [];
        window.webcallApp.phone.on('message', (m) => window.messages.push(m));
      });
      await alice.evaluate(() => window.webcallApp.phone.sendMessage('bob', 'hello from alice'));
      await bob.waitForFunction(() => window.messages.length > 0, null, { timeout: 10_000 });
      const [message] = await bob.evaluate(() => window.messages);
      assert.equal(message.body, 'hello from alice');
      assert.match(message.from, /^sip:alice@/);
      assert.match(message.contentType, /^text\/plain/);
    });
  });

  test('attended transfer: alice joins bob to carol (REFER with Replaces) and leaves', { timeout: 60_000 }, async () => {
    const { alice, browser } = ctx;
    await withUser(browser, 'bob', (bob) => withUser(browser, 'carol', async (carol) => {
      try {
        await callAndAnswer(alice, bob, 'bob');
        // the consultation call, placed through the SDK next to the one on screen
        await alice.evaluate(() => (window.consultation = window.webcallApp.phone.call('carol')));
        await answerIncoming(carol);
        await alice.waitForFunction(() => window.consultation.state === 'active', null, { timeout: 15_000 });
        const status = await alice.evaluate(() => window.webcallApp.call.attendedTransfer(window.consultation));
        assert.equal(status, 200);
        await bob.waitForFunction(() => /^sip:carol@/.test(window.webcallApp.call?.remoteUri ?? '') && window.webcallApp.call.state === 'active', null, { timeout: 10_000 });
        await carol.waitForFunction(() => /^sip:bob@/.test(window.webcallApp.call?.remoteUri ?? '') && window.webcallApp.call.state === 'active', null, { timeout: 10_000 });
        await alice.waitForFunction(() => window.webcallApp.phone.activeCalls.length === 0, null, { timeout: 10_000 });
        assert.equal(await carol.textContent('#peer-name'), 'bob');
        await hangup(bob);
        await carol.waitForFunction(() => !window.webcallApp.call, null, { timeout: 10_000 });
      } finally {
        await endCall(alice);
      }
    }));
  });

  test('a PBX answering 422 Session Interval Too Small (Min-SE 1800) still gets the call, with the larger interval', { timeout: 60_000 }, async () => {
    const { alice } = ctx;
    await withPbx(alice, 'uas', { mediaPort: 16800, scenario: 'pbx-uas-422.xml' }, async (pbx) => {
      await dial(alice, '5551234');
      const invites = pbx.receivedRequests('INVITE');
      assert.equal(invites.length, 2, `INVITEs seen by the PBX: ${invites.length}`);
      const expires = (text) => Number((/^Session-Expires:\s*(\d+)/im.exec(text) ?? [])[1]);
      assert.ok(expires(invites[1]) >= 1800, `retry offers Session-Expires ${expires(invites[1])}`);
      await hangup(alice);
      assert.equal(await pbx.exit, 0, `sipp did not complete the call:\n${pbx.output.slice(-2000)}`);
    });
  });
}
