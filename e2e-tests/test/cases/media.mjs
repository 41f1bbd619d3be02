// Audio through the relay: inbound-rtp packets must grow where audio is expected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { dial, hangup, endCall, audioCounters, expectAudioGrowth } from '../support/browser.mjs';
import { answerIncoming, callAndAnswer, withPbx, withUser } from '../support/calls.mjs';
import { captureTelephoneEvents } from '../support/rtp-capture.mjs';
import { sipjsCall } from './interop.mjs';

export function register(ctx) {
  test('alice calls bob and both receive audio', { timeout: 60_000 }, async () => {
    const { alice, browser } = ctx;
    await withUser(browser, 'bob', async (bob) => {
      try {
        await callAndAnswer(alice, bob, 'bob');
        await expectAudioGrowth(alice, { delta: 50 });
        await expectAudioGrowth(bob, { delta: 50 });
        await alice.waitForFunction(() => /MOS/.test(document.getElementById('quality-text').textContent), null, { timeout: 8000 });
        await hangup(alice);
      } finally {
        await endCall(alice);
      }
    });
  });

  test('alice calls echo and hears herself', { timeout: 45_000 }, async () => {
    const { alice } = ctx;
    try {
      await dial(alice, 'echo');
      const [before, now] = await expectAudioGrowth(alice, { delta: 100 });
      assert.ok(now.sent > before.sent, 'microphone audio is sent');
      assert.ok(now.energy > before.energy, 'the echoed audio is not silence (the fake microphone beeps)');
    } finally {
      await endCall(alice);
    }
  });

  test('hold stops the audio, resume brings it back', { timeout: 45_000 }, async () => {
    const { alice } = ctx;
    try {
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
    } finally {
      await endCall(alice);
    }
  });

  test('alice calls the PBX (sipp echoing RTP) and audio flows both ways', { timeout: 60_000 }, async () => {
    const { alice } = ctx;
    await withPbx(alice, 'uas', { mediaPort: 16200 }, async (pbx) => {
      await dial(alice, '5551234');
      const [before, now] = await expectAudioGrowth(alice, { delta: 50 });
      assert.ok(now.sent > before.sent);
      await hangup(alice);
      assert.equal(await pbx.exit, 0, `sipp UAS failed:\n${pbx.output.slice(-2000)}`);
    });
  });

  test('the PBX (sipp) calls alice and audio flows to her', { timeout: 60_000 }, async () => {
    const { alice } = ctx;
    await withPbx(alice, 'uac', { user: 'alice', mediaPort: 16300 }, async (pbx) => {
      await answerIncoming(alice);
      await expectAudioGrowth(alice, { delta: 50 });
      assert.equal(await pbx.exit, 0, `sipp UAC failed:\n${pbx.output.slice(-2000)}`);
    });
  });

  test('DTMF digits reach the PBX as RFC 4733 telephone-events in the RTP stream, with the PBX\'s payload type', { timeout: 60_000 }, async () => {
    const { alice } = ctx;
    const mediaPort = 16250;
    await withPbx(alice, 'uas', { mediaPort }, async (pbx) => {
      const capture = await captureTelephoneEvents(mediaPort);
      try {
        await dial(alice, '5551234');
        await alice.evaluate(() => window.webcallApp.call.sendDigits('19*#', { transport: 'rfc4733' }));
        const events = await capture.waitForDigits(4, 15_000);
        assert.equal(events.map((e) => e.digit).join(''), '19*#',
          `telephone-events seen on the PBX's RTP port: ${JSON.stringify(events)}; RTP packets by payload type: ${JSON.stringify(capture.packetsByPayloadType())}; SIP INFO digits: "${pbx.infoDigits()}"`);
        // the PBX answered telephone-event/8000 as payload type 101: the relay maps the browser's number to it
        assert.ok(events.every((e) => e.payloadType === 101), `payload types: ${JSON.stringify(events)}`);
        assert.equal(pbx.infoDigits(), '', 'no SIP INFO was used');
        await hangup(alice);
      } finally {
        await capture.stop();
      }
    });
  });

  test('a SIP.js call to echo carries audio', { timeout: 60_000 }, async () => {
    const steps = await sipjsCall(ctx.browser, 'echo');
    assert.equal(steps.state, 'Established');
    assert.ok(steps.packets >= 50, `SIP.js received ${steps.packets} packets in 2.5 s`);
  });

  test('the preflight echo test reports audio, RTT, loss and MOS before a first call', { timeout: 45_000 }, async () => {
    const result = await ctx.alice.evaluate(() => window.webcallApp.phone.preflight({ durationMs: 2500 }));
    assert.equal(result.audioReceived, true, JSON.stringify(result));
    assert.ok(result.packetsReceived >= 50, JSON.stringify(result));
    assert.ok(result.rttMs !== null && result.rttMs < 200, `RTT on loopback: ${result.rttMs}`);
    assert.ok(result.mos >= 4, `MOS on loopback: ${result.mos}`);
    await ctx.alice.waitForFunction(() => window.webcallApp.phone.activeCalls.length === 0, null, { timeout: 5000 });
  });
}
