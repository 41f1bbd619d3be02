// The edge goes away during a call and comes back: the SDK reconnects and registers again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dial, hangup, endCall } from '../support/browser.mjs';
import { Sipp } from '../support/sipp.mjs';

export function register(ctx) {
  test('the edge restarts during a call: the SDK reconnects, registers again and calls work', { timeout: 240_000 }, async () => {
    const { alice, stack } = ctx;
    let pbx = new Sipp('uas', { mediaPort: 16400 });
    try {
      await dial(alice, '5551234');
      await alice.evaluate(() => {
        window.phoneEvents = [];
        const phone = window.webcallApp.phone;
        for (const name of ['reconnecting', 'reconnected', 'registered']) phone.on(name, () => window.phoneEvents.push(name));
      });
      await stack.restartEdge();
      await alice.waitForFunction(() => window.phoneEvents.includes('reconnected'), null, { timeout: 60_000 });
      const events = await alice.evaluate(() => window.phoneEvents);
      assert.ok(events.includes('reconnecting'), `events: ${events}`);
      assert.ok(events.indexOf('reconnecting') < events.indexOf('registered'), `events: ${events}`);
      await alice.waitForSelector('#status[data-state="registered"]', { timeout: 5000 });
      await endCall(alice);
      await pbx.stop();
      // the re-registered phone places a new call through the restarted edge
      pbx = new Sipp('uas', { mediaPort: 16500 });
      await dial(alice, '5551234');
      await hangup(alice);
      assert.equal(await pbx.exit, 0, `sipp UAS did not complete the call after the restart:\n${pbx.output.slice(-2000)}`);
    } finally {
      await endCall(alice);
      await pbx.stop();
    }
  });
}
