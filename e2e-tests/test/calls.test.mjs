// Browser calls through the real platform: Chromium with fake audio devices, the webcall SDK (and
// SIP.js as a second client), the local stack (embedded PostgreSQL + Kafka, account, relay, edge)
// and sipp as the tenant's PBX. Runs inside a network namespace that only has loopback.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LocalStack, EDGE_HTTP, EDGE_WS, DOMAIN } from './support/stack.mjs';
import { launchBrowser, signIn, audioCounters, expectAudioGrowth, dial, hangup } from './support/browser.mjs';
import { Sipp, PBX_PORT } from './support/sipp.mjs';

const target = resolve(import.meta.dirname, '../target');
const stack = new LocalStack({ pbx: `sip:127.0.0.1:${PBX_PORT}` });
let browser;
let alice;

before(async () => {
  await stack.start();
  browser = await launchBrowser();
  alice = await signIn(browser, 'alice');
}, { timeout: 330_000 });

after(async () => {
  if (alice) console.log(`alice page log (last lines):\n${alice.logs.slice(-15).join('\n')}`);
  await browser?.close().catch(() => {});
  await stack.stop();
}, { timeout: 120_000 });

async function endCall(page) {
  if (await page.evaluate(() => !!window.webcallApp.call)) await hangup(page);
}

describe('softphone calls', () => {
  test('alice calls bob: both receive audio, and the in-call page is captured', { timeout: 60_000 }, async () => {
    const bob = await signIn(browser, 'bob');
    try {
      await alice.fill('#target', 'bob');
      await alice.click('#call-button');
      await bob.waitForSelector('#incoming:not([hidden])', { timeout: 10_000 });
      assert.equal(await bob.textContent('#incoming-name'), 'alice');
      await bob.click('#answer');
      await alice.waitForFunction(() => window.webcallApp.call?.state === 'active', null, { timeout: 15_000 });
      await expectAudioGrowth(alice, { delta: 50 });
      await expectAudioGrowth(bob, { delta: 50 });
      // the quality indicator fills in after one stats interval
      await alice.waitForFunction(() => /MOS/.test(document.getElementById('quality-text').textContent), null, { timeout: 8000 });
      mkdirSync(join(target, 'screenshots'), { recursive: true });
      const shot = join(target, 'screenshots', 'softphone-in-call.png');
      await alice.screenshot({ path: shot });
      assert.ok(statSync(shot).size > 5000, 'screenshot written');
      assert.equal(await alice.textContent('#call-state'), 'Connected');
      await hangup(alice);
      await bob.waitForFunction(() => !window.webcallApp.call, null, { timeout: 10_000 });
    } finally {
      await bob.context().close();
    }
  });

  test('alice calls echo and hears herself', { timeout: 45_000 }, async () => {
    await dial(alice, 'echo');
    const [before, now] = await expectAudioGrowth(alice, { delta: 100 });
    assert.ok(now.sent > before.sent, 'microphone audio is sent');
    assert.ok(now.energy > before.energy, 'the echoed audio is not silence (the fake microphone beeps)');
    await hangup(alice);
  });

  test('hold stops the audio, resume brings it back', { timeout: 45_000 }, async () => {
    await dial(alice, 'echo');
    await expectAudioGrowth(alice, { delta: 25 });
    await alice.click('#hold');
    await alice.waitForFunction(() => window.webcallApp.call.onHold, null, { timeout: 10_000 });
    assert.equal(await alice.getAttribute('#hold', 'aria-pressed'), 'true');
    await sleep(1000);
    const held1 = await audioCounters(alice);
    await sleep(1500);
    const held2 = await audioCounters(alice);
    assert.ok(held2.received - held1.received < 20, `audio kept flowing on hold: ${held2.received - held1.received} packets in 1.5 s`);
    await alice.click('#hold');
    await alice.waitForFunction(() => !window.webcallApp.call.onHold, null, { timeout: 10_000 });
    await expectAudioGrowth(alice, { delta: 50 });
    await hangup(alice);
  });

  test('alice calls a number on the PBX (sipp) and audio flows; DTMF digits reach the PBX', { timeout: 60_000 }, async () => {
    const pbx = new Sipp('uas', { mediaPort: 16000 });
    try {
      await dial(alice, '5551234');
      await expectAudioGrowth(alice, { delta: 50 });
      await alice.evaluate(() => window.webcallApp.call.sendDigits('12#', { transport: 'info' }));
      await alice.click('#show-keypad');
      await alice.click('#dtmf-pad button[data-digit="9"]');
      const until = Date.now() + 8000;
      while (pbx.infoDigits().length < 4 && Date.now() < until) await sleep(200);
      // the keypad button uses the default transport: RFC 4733 when negotiated, else INFO
      assert.match(pbx.infoDigits(), /^12#/);
      await hangup(alice);
      assert.equal(await pbx.exit, 0, `sipp UAS failed:\n${pbx.output.slice(-2000)}`);
    } finally {
      await endCall(alice);
      await pbx.stop();
    }
  });

  test('the PBX (sipp) calls alice, she answers and audio flows', { timeout: 60_000 }, async () => {
    const pbx = new Sipp('uac', { user: 'alice', mediaPort: 16100 });
    try {
      await alice.waitForSelector('#incoming:not([hidden])', { timeout: 15_000 });
      await alice.click('#answer');
      await alice.waitForFunction(() => window.webcallApp.call?.state === 'active', null, { timeout: 10_000 });
      await expectAudioGrowth(alice, { delta: 50 });
      assert.equal(await pbx.exit, 0, `sipp UAC failed:\n${pbx.output.slice(-2000)}`);
      await alice.waitForFunction(() => !window.webcallApp.call, null, { timeout: 10_000 });
    } finally {
      await endCall(alice);
      await pbx.stop();
    }
  });

  test('SIP.js 0.21 registers through the platform and completes a call', { timeout: 60_000 }, async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(`${EDGE_HTTP}/manifest.webmanifest`);
      await page.addScriptTag({ content: readFileSync(join(target, 'sipjs.js'), 'utf8') });
      const result = await page.evaluate(async ({ server, domain }) => {
        const user = new SIP.Web.SimpleUser(server, {
          aor: `sip:carol@${domain}`,
          userAgentOptions: { authorizationUsername: 'carol', authorizationPassword: 'demo' },
          media: { constraints: { audio: true, video: false }, remote: { audio: new Audio() } },
        });
        await user.connect();
        await user.register();
        await user.call(`sip:echo@${domain}`);
        const pc = user.session.sessionDescriptionHandler.peerConnection;
        const count = async () => {
          let n = 0;
          (await pc.getStats()).forEach((s) => { if (s.type === 'inbound-rtp' && s.kind === 'audio') n += s.packetsReceived; });
          return n;
        };
        const until = Date.now() + 10000;
        let state = user.session.state;
        while (user.session.state !== 'Established' && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
        state = user.session.state;
        const first = await count();
        await new Promise((r) => setTimeout(r, 2500));
        const second = await count();
        await user.hangup();
        await user.unregister();
        await user.disconnect();
        return { state, first, second };
      }, { server: EDGE_WS, domain: DOMAIN });
      assert.equal(result.state, 'Established');
      assert.ok(result.second - result.first >= 50, `SIP.js received ${result.second - result.first} packets in 2.5 s`);
    } finally {
      await context.close();
    }
  });

  test('the edge restarts during a call: the SDK reconnects and registers again', { timeout: 240_000 }, async () => {
    await dial(alice, 'echo');
    await expectAudioGrowth(alice, { delta: 25 });
    await alice.evaluate(() => {
      window.phoneEvents = [];
      const phone = window.webcallApp.phone;
      for (const name of ['reconnecting', 'reconnected', 'registered']) phone.on(name, () => window.phoneEvents.push(name));
    });
    await stack.restartEdge();
    await alice.waitForFunction(() => window.phoneEvents.includes('reconnected'), null, { timeout: 60_000 });
    const events = await alice.evaluate(() => window.phoneEvents);
    assert.ok(events.indexOf('reconnecting') < events.indexOf('registered'), `events: ${events}`);
    await alice.waitForSelector('#status[data-state="registered"]', { timeout: 5000 });
    assert.equal(await alice.evaluate(() => window.webcallApp.phone.isRegistered), true);
    await endCall(alice);
    // the re-registered phone can place a new call through the restarted edge
    await dial(alice, 'echo');
    await expectAudioGrowth(alice, { delta: 50 });
    await hangup(alice);
  });
});
