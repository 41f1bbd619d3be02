// The edge goes away during a call and comes back: the SDK reconnects and registers again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signIn, dial, hangup, endCall, expectAudioGrowth } from '../support/browser.mjs';
import { Sipp } from '../support/sipp.mjs';

/** Page script that keeps every WebSocket the page opens, so a test can cut them. */
function recordSockets() {
  const Native = window.WebSocket;
  window.openSockets = [];
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      window.openSockets.push(this);
    }
  };
}

/**
 * Signs `user` in with recorded sockets, calls echo, cuts the page's WebSockets mid-call and waits
 * until the call has restarted ICE (or ended). Asserts the phone and call events; returns the page.
 */
export async function callThenDropWebSocket(browser, user) {
  const page = await signIn(browser, user, { initScript: recordSockets });
  try {
    await dial(page, 'echo');
    await expectAudioGrowth(page, { delta: 25 });
    await page.evaluate(() => {
      window.events = [];
      const { phone, call } = window.webcallApp;
      for (const name of ['reconnecting', 'reconnected', 'registered']) phone.on(name, () => window.events.push(`phone:${name}`));
      for (const name of ['reconnecting', 'reconnected', 'ended']) call.on(name, () => window.events.push(`call:${name}`));
      for (const socket of window.openSockets) socket.close(4000, 'network lost');
    });
    await page.waitForFunction(() => window.events.includes('call:reconnected') || window.events.includes('call:ended'), null, { timeout: 30_000 });
    const events = await page.evaluate(() => window.events);
    assert.ok(!events.includes('call:ended'), `the call ended: ${events}`);
    for (const e of ['phone:reconnecting', 'phone:registered', 'phone:reconnected', 'call:reconnecting', 'call:reconnected']) {
      assert.ok(events.includes(e), `missing ${e} in ${events}`);
    }
    return page;
  } catch (err) {
    await page.context().close();
    throw err;
  }
}

export function register(ctx) {
  test('the WebSocket drops during a call: the SDK reconnects, registers again and the call survives an ICE restart', { timeout: 90_000 }, async () => {
    const carol = await callThenDropWebSocket(ctx.browser, 'carol');
    try {
      assert.equal(await carol.evaluate(() => window.webcallApp.call.state), 'active');
    } finally {
      await endCall(carol);
      await carol.context().close();
    }
  });

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
