// Audio devices: Chromium's fake microphones and speakers are listed, and switching them during a call
// swaps the live microphone track and the remote audio's output without interrupting the audio.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dial, endCall, expectAudioGrowth } from '../support/browser.mjs';

export function register(ctx) {
  test('microphones and speakers are listed, and switching both during a call keeps the audio flowing', { timeout: 60_000 }, async () => {
    const { alice } = ctx;
    try {
      const { microphones, speakers } = await alice.evaluate(() => window.webcallApp.phone.constructor.listDevices());
      assert.ok(microphones.length >= 2, `microphones: ${JSON.stringify(microphones)}`);
      assert.ok(speakers.length >= 2, `speakers: ${JSON.stringify(speakers)}`);
      for (const d of [...microphones, ...speakers]) assert.ok(d.id && d.label, `a device with an id and a label: ${JSON.stringify(d)}`);
      // the page offers the same devices
      assert.deepEqual(await alice.$$eval('#mic-select option', (os) => os.map((o) => o.value)), microphones.map((m) => m.id));
      assert.deepEqual(await alice.$$eval('#speaker-select option', (os) => os.map((o) => o.value)), speakers.map((m) => m.id));

      await dial(alice, 'echo');
      await expectAudioGrowth(alice, { delta: 25 });
      const track = () => alice.evaluate(() => {
        const sender = window.webcallApp.call.peerConnection.getSenders().find((s) => s.track?.kind === 'audio');
        return { id: sender.track.id, deviceId: sender.track.getSettings().deviceId, label: sender.track.label, state: sender.track.readyState };
      });
      const first = await track();
      const other = microphones.find((m) => m.id !== first.deviceId && m.id !== 'default' && m.id !== 'communications');
      assert.ok(other, `a second microphone besides ${first.deviceId}`);

      // switch during the call (the page's device pickers call the same methods)
      await alice.evaluate((id) => window.webcallApp.phone.setMicrophone(id), other.id);
      await alice.waitForFunction((id) => {
        const sender = window.webcallApp.call.peerConnection.getSenders().find((s) => s.track?.kind === 'audio');
        return sender.track.getSettings().deviceId === id;
      }, other.id, { timeout: 10_000 });
      const second = await track();
      assert.notEqual(second.id, first.id, 'a new track is sent');
      assert.equal(second.label, other.label);
      assert.equal(await alice.evaluate(() => window.webcallApp.call.peerConnection.signalingState), 'stable', 'no renegotiation');
      const [before, after] = await expectAudioGrowth(alice, { delta: 50 });
      assert.ok(after.sent > before.sent, 'the new microphone is sent');

      const speaker = speakers.find((s) => s.id !== 'default' && s.id !== 'communications') ?? speakers[1];
      await alice.evaluate((id) => window.webcallApp.phone.setSpeaker(id), speaker.id);
      assert.equal(await alice.evaluate(() => window.webcallApp.call.audioElement.sinkId), speaker.id);
      await expectAudioGrowth(alice, { delta: 25 });
      assert.equal(await alice.evaluate(() => window.webcallApp.call.state), 'active');
    } finally {
      await endCall(alice);
    }
  });
}
