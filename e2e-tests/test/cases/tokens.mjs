// Access tokens during a call: updateToken() swaps the token without touching the call, and the
// REGISTER that follows carries the new token (RFC 8898 Bearer), as the WebSocket frames show.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dial, endCall, expectAudioGrowth, signInWithToken } from '../support/browser.mjs';
import { accessToken, demoTenantKey } from '../support/account.mjs';

export function register(ctx) {
  test('updateToken() during a call: the call goes on and the next REGISTER carries the new token', { timeout: 60_000 }, async () => {
    const key = await demoTenantKey(ctx.stack);
    const first = await accessToken(key, 'carol');
    const sent = []; // SIP requests the page sent over its WebSockets
    const page = await signInWithToken(ctx.browser, first, {
      onPage: (p) => p.on('websocket', (ws) => ws.on('framesent', ({ payload }) => sent.push(String(payload)))),
    });
    try {
      await dial(page, 'echo');
      await expectAudioGrowth(page, { delta: 25 });
      const callId = await page.evaluate(() => window.webcallApp.call.callId);
      const registersBefore = sent.filter((f) => f.startsWith('REGISTER ')).length;
      assert.ok(registersBefore >= 1 && sent.filter((f) => f.startsWith('REGISTER ')).every((f) => f.includes(`Bearer ${first}`)), 'registered with the first token');

      const second = await accessToken(key, 'carol');
      assert.notEqual(second, first);
      const updated = await page.evaluate(async (token) => {
        const phone = window.webcallApp.phone;
        const events = [];
        phone.on('token-updated', () => events.push('token-updated'));
        phone.on('registered', () => events.push('registered'));
        await phone.updateToken(token);
        return { events, state: phone.state, calls: phone.activeCalls.length };
      }, second);
      assert.deepEqual(updated, { events: ['token-updated', 'registered'], state: 'registered', calls: 1 });

      const registersAfter = sent.filter((f) => f.startsWith('REGISTER ')).slice(registersBefore);
      assert.ok(registersAfter.length >= 1, 'a REGISTER followed the update');
      for (const register of registersAfter) {
        assert.match(register, new RegExp(`^Authorization: Bearer ${second.replace(/[.]/g, '\\.')}\\r?$`, 'm'), 'the new token');
        assert.ok(!register.includes(first), 'not the old token');
      }
      // the very same call carries on
      assert.equal(await page.evaluate(() => window.webcallApp.call?.state), 'active');
      assert.equal(await page.evaluate(() => window.webcallApp.call.callId), callId);
      await expectAudioGrowth(page, { delta: 50 });
      // and requests inside the call use the new token too (hold re-INVITE)
      await page.evaluate(() => window.webcallApp.call.hold());
      const invite = sent.filter((f) => f.startsWith('INVITE ')).at(-1);
      assert.ok(invite.includes(`Bearer ${second}`), 'the re-INVITE carries the new token');
    } finally {
      await endCall(page);
      await page.context().close();
    }
  });
}
