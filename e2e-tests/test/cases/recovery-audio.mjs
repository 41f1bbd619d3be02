// Audio after the media path is re-established: an ICE restart (re-INVITE through the edge, new ICE
// credentials on both sides, the DTLS association kept) must bring the relay's audio back, whether it
// follows a signaling reconnect or a network change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dial, endCall, expectAudioGrowth, hangup, mediaPathDiagnostics } from '../support/browser.mjs';
import { withUser } from '../support/calls.mjs';
import { relayDiagnostics } from '../support/stack.mjs';
import { callThenDropWebSocket } from './resilience.mjs';

/** expectAudioGrowth, with what the browser and the relay knew about the media path if audio did not come back. */
async function expectAudioBack(page) {
  try {
    return await expectAudioGrowth(page, { delta: 50 });
  } catch (err) {
    const callId = await page.evaluate(() => window.webcallApp.call?.callId).catch(() => null);
    err.message += `\nbrowser: ${await mediaPathDiagnostics(page).catch((e) => e.message)}\n${await relayDiagnostics(callId)}`;
    throw err;
  }
}

const iceCredentials = (page) => page.evaluate(() => {
  const pc = window.webcallApp.call.peerConnection;
  const ufrag = (sdp) => /a=ice-ufrag:(\S+)/.exec(sdp ?? '')?.[1];
  const fingerprint = (sdp) => /a=fingerprint:(.+)/.exec(sdp ?? '')?.[1].trim();
  return { local: ufrag(pc.localDescription?.sdp), remote: ufrag(pc.remoteDescription?.sdp), remoteFingerprint: fingerprint(pc.remoteDescription?.sdp) };
});

export function register(ctx) {
  test('after a WebSocket drop and ICE restart, audio flows again', { timeout: 90_000 }, async () => {
    const carol = await callThenDropWebSocket(ctx.browser, 'carol');
    try {
      await expectAudioBack(carol);
      await hangup(carol);
    } finally {
      await endCall(carol);
      await carol.context().close();
    }
  });

  test('a network change (offline, then online) restarts ICE with new credentials and the call keeps its audio', { timeout: 90_000 }, async () => {
    await withUser(ctx.browser, 'carol', async (carol) => {
      await dial(carol, 'echo');
      await expectAudioGrowth(carol, { delta: 25 });
      const before = await iceCredentials(carol);
      await carol.evaluate(() => {
        window.events = [];
        const call = window.webcallApp.call;
        for (const name of ['reconnecting', 'reconnected', 'ended']) call.on(name, (e) => window.events.push(`call:${name}${e?.reason ? `:${e.reason}` : ''}`));
      });
      // Chromium's network emulation: the page goes offline, then online again (navigator.connection changes)
      await carol.context().setOffline(true);
      await carol.context().setOffline(false);
      await carol.waitForFunction(() => window.events.some((e) => e.startsWith('call:reconnected') || e === 'call:ended'), null, { timeout: 30_000 });
      const events = await carol.evaluate(() => window.events);
      assert.ok(!events.includes('call:ended'), `the call ended: ${events}`);
      assert.ok(events.includes('call:reconnecting:network change'), `events: ${events}`);
      const after = await iceCredentials(carol);
      assert.notEqual(after.local, before.local, 'the browser restarted ICE with a new ufrag');
      assert.notEqual(after.remote, before.remote, 'the relay answered with new ICE credentials');
      assert.equal(after.remoteFingerprint, before.remoteFingerprint, 'the DTLS association is kept');
      await expectAudioBack(carol);
      assert.equal(await carol.evaluate(() => window.webcallApp.call.state), 'active');
    });
  });
}
