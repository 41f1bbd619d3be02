// Call quality warnings: loss or delay induced on the relay's datagrams toward the browser raises the
// SDK's warnings (events and the page's banner), and a clean network clears them again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dial, endCall, expectAudioGrowth } from '../support/browser.mjs';
import { dropUdpFrom, matchedPackets, restoreNetwork, throttleUdpFrom } from '../support/network.mjs';

const RELAY_WEBRTC_PORT = 10000;

/** Records the call's warning events in the page; returns a bounded wait for one of them. */
async function recordWarnings(page) {
  await page.evaluate(() => {
    window.qualityEvents = [];
    const call = window.webcallApp.call;
    const push = (type) => ({ warning, sample }) => window.qualityEvents.push({ type, warning, loss: sample.loss, mos: sample.mos, rttMs: sample.rttMs });
    call.on('warning', push('warning'));
    call.on('warning-cleared', push('cleared'));
  });
  return (type, warning, timeout = 15_000) => page.waitForFunction(
    ([t, w]) => window.qualityEvents.some((e) => e.type === t && e.warning === w), [type, warning], { timeout },
  );
}

export function register(ctx) {
  test('packet loss raises the high-loss and low-MOS warnings and a clean network clears them', { timeout: 60_000 }, async () => {
    const { alice } = ctx;
    try {
      await dial(alice, 'echo');
      await expectAudioGrowth(alice, { delta: 25 });
      const seen = await recordWarnings(alice);

      dropUdpFrom(RELAY_WEBRTC_PORT, 30);
      await seen('warning', 'high-loss');
      await seen('warning', 'low-mos');
      assert.ok(matchedPackets() > 0, 'the relay\'s datagrams were dropped');
      assert.equal(await alice.isVisible('#call-warning'), true, 'the page shows a warning');
      const raised = await alice.evaluate(() => window.qualityEvents.filter((e) => e.type === 'warning'));
      assert.ok(raised.find((e) => e.warning === 'high-loss').loss > 0.05, JSON.stringify(raised));

      restoreNetwork();
      await seen('cleared', 'high-loss');
      await seen('cleared', 'low-mos');
      const cleared = await alice.evaluate(() => window.qualityEvents.filter((e) => e.type === 'cleared'));
      assert.ok(cleared.find((e) => e.warning === 'high-loss').loss < 0.02, JSON.stringify(cleared));
      assert.ok(cleared.find((e) => e.warning === 'low-mos').mos > 3.5, JSON.stringify(cleared));
      await alice.waitForSelector('#call-warning', { state: 'hidden', timeout: 5000 });
      assert.equal(await alice.evaluate(() => window.webcallApp.call.state), 'active');
    } finally {
      restoreNetwork();
      await endCall(alice);
    }
  });

  test('queueing delay raises the high-RTT warning and a clean network clears it', { timeout: 90_000 }, async () => {
    const { alice } = ctx;
    try {
      await dial(alice, 'echo');
      await expectAudioGrowth(alice, { delta: 25 });
      const seen = await recordWarnings(alice);
      // the echoed audio (about 50 kbit/s with headers) through a 32 kbit/s queue: its delay keeps growing
      throttleUdpFrom(RELAY_WEBRTC_PORT, 32);
      await seen('warning', 'high-rtt', 30_000);
      assert.ok(matchedPackets() > 0, 'the relay\'s datagrams went through the queue');
      const raised = await alice.evaluate(() => window.qualityEvents.find((e) => e.type === 'warning' && e.warning === 'high-rtt'));
      assert.ok(raised.rttMs > 400, JSON.stringify(raised));

      restoreNetwork();
      await seen('cleared', 'high-rtt', 30_000);
      const cleared = await alice.evaluate(() => window.qualityEvents.find((e) => e.type === 'cleared' && e.warning === 'high-rtt'));
      assert.ok(cleared.rttMs === null || cleared.rttMs < 300, JSON.stringify(cleared));
      await expectAudioGrowth(alice, { delta: 50 });
      assert.equal(await alice.evaluate(() => window.webcallApp.call.state), 'active');
    } finally {
      restoreNetwork();
      await endCall(alice);
    }
  });
}
