// A second SIP stack in the same browser setup: SIP.js 0.21 registers and calls through the platform.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { EDGE_HTTP, EDGE_WS, DOMAIN } from '../support/stack.mjs';

const sipjs = resolve(import.meta.dirname, '../../target/sipjs.js');

/**
 * Registers carol with SIP.js (digest), calls `target`, counts received audio packets over 2.5 s,
 * hangs up and unregisters. Returns what happened at each step.
 */
export async function sipjsCall(browser, target) {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(`${EDGE_HTTP}/manifest.webmanifest`);
    await page.addScriptTag({ content: readFileSync(sipjs, 'utf8') });
    return await page.evaluate(async ({ server, domain, target }) => {
      const steps = {};
      const user = new SIP.Web.SimpleUser(server, {
        aor: `sip:carol@${domain}`,
        userAgentOptions: { authorizationUsername: 'carol', authorizationPassword: 'demo' },
        media: { constraints: { audio: true, video: false }, remote: { audio: new Audio() } },
      });
      await user.connect();
      await user.register();
      steps.registered = user.isConnected();
      await user.call(`sip:${target}@${domain}`);
      const until = Date.now() + 10000;
      while (user.session.state !== 'Established' && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      steps.state = user.session.state;
      const pc = user.session.sessionDescriptionHandler.peerConnection;
      const count = async () => {
        let n = 0;
        (await pc.getStats()).forEach((s) => { if (s.type === 'inbound-rtp' && s.kind === 'audio') n += s.packetsReceived; });
        return n;
      };
      const first = await count();
      await new Promise((r) => setTimeout(r, 2500));
      steps.packets = (await count()) - first;
      const session = user.session;
      await user.hangup();
      const byeUntil = Date.now() + 5000;
      while (session.state !== 'Terminated' && Date.now() < byeUntil) await new Promise((r) => setTimeout(r, 100));
      steps.afterHangup = session.state;
      await user.unregister();
      await user.disconnect();
      return steps;
    }, { server: EDGE_WS, domain: DOMAIN, target });
  } finally {
    await context.close();
  }
}

export function register(ctx) {
  test('SIP.js 0.21 registers through the platform, establishes a call and hangs up', { timeout: 60_000 }, async () => {
    const steps = await sipjsCall(ctx.browser, 'echo');
    assert.equal(steps.registered, true);
    assert.equal(steps.state, 'Established');
    assert.equal(steps.afterHangup, 'Terminated');
  });
}
