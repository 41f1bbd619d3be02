// Call quality warnings: loss induced on the relay's datagrams toward the browser raises the SDK's
// warnings (events and the page's banner), and a clean network clears them again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dial, endCall, expectAudioGrowth } from '../support/browser.mjs';
import { dropUdpFrom, droppedPackets, restoreNetwork } from '../support/network.mjs';

const RELAY_WEBRTC_PORT = 10000;

export function register(ctx) {
  test('packet loss raises the high-loss and low-MOS warnings and a clean network clears them', { timeout: 60_000 }, async () => {
    const { alice } = ctx;
    try {
      await dial(alice, 'echo');
      await expectAudioGrowth(alice, { delta: 25 });
      await alice.evaluate(() => {
        window.qualityEvents = [];
        const call = window.webcallApp.call;
        call.on('warning', ({ warning, sample }) => window.qualityEvents.push({ type: 'warning', warning, loss: sample.loss, mos: sample.mos }));
        call.on('warning-cleared', ({ warning, sample }) => window.qualityEvents.push({ type: 'cleared', warning, loss: sample.loss, mos: sample.mos }));
      });
      const seen = (type, warning) => alice.waitForFunction(
        ([t, w]) => window.qualityEvents.some((e) => e.type === t && e.warning === w), [type, warning], { timeout: 15_000 },
      );

      dropUdpFrom(RELAY_WEBRTC_PORT, 30);
      await seen('warning', 'high-loss');
      await seen('warning', 'low-mos');
      assert.ok(droppedPackets() > 0, 'the relay\'s datagrams were dropped');
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
}
