// A second SIP stack in the same browser setup: SIP.js 0.21 registers and calls through the platform.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EDGE_HTTP, EDGE_WS, DOMAIN } from '../support/stack.mjs';

const sipjs = resolve(import.meta.dirname, '../../target/sipjs.js');

export function register(ctx) {
  test('SIP.js 0.21 registers through the platform and completes a call with audio', { timeout: 60_000 }, async () => {
    const context = await ctx.browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(`${EDGE_HTTP}/manifest.webmanifest`);
      await page.addScriptTag({ content: readFileSync(sipjs, 'utf8') });
      const result = await page.evaluate(async ({ server, domain }) => {
        const user = new SIP.Web.SimpleUser(server, {
          aor: `sip:carol@${domain}`,
          userAgentOptions: { authorizationUsername: 'carol', authorizationPassword: 'demo' },
          media: { constraints: { audio: true, video: false }, remote: { audio: new Audio() } },
        });
        await user.connect();
        await user.register();
        await user.call(`sip:echo@${domain}`);
        const until = Date.now() + 10000;
        while (user.session.state !== 'Established' && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
        const state = user.session.state;
        const pc = user.session.sessionDescriptionHandler.peerConnection;
        const count = async () => {
          let n = 0;
          (await pc.getStats()).forEach((s) => { if (s.type === 'inbound-rtp' && s.kind === 'audio') n += s.packetsReceived; });
          return n;
        };
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
}
