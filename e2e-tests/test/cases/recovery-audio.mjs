// Audio after a signaling reconnect: the ICE restart must bring the media path back.
// Not in the default run: audio sometimes does not come back after the restart (seen in 1 of 5
// runs: ICE reconnects, the browser keeps sending, nothing arrives from the relay any more).
import { test } from 'node:test';
import { endCall, expectAudioGrowth, hangup } from '../support/browser.mjs';
import { callThenDropWebSocket } from './resilience.mjs';

export function register(ctx) {
  test('after a WebSocket drop and ICE restart, audio flows again', { timeout: 90_000 }, async () => {
    const carol = await callThenDropWebSocket(ctx.browser, 'carol');
    try {
      await expectAudioGrowth(carol, { delta: 50 });
      await hangup(carol);
    } finally {
      await endCall(carol);
      await carol.context().close();
    }
  });
}
