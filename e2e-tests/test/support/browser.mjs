// Debian's Chromium driven by playwright-core, with fake audio devices, kept on loopback.
import { chromium } from 'playwright-core';
import { setTimeout as sleep } from 'node:timers/promises';
import { ACCOUNT, EDGE_HTTP, EDGE_WS, DOMAIN } from './stack.mjs';
import { CHROMIUM_ARGS } from './chromium-flags.mjs';

export { CHROMIUM_ARGS };

export function launchBrowser() {
  // playwright gives every launch a fresh temporary profile (--user-data-dir).
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}

/** A new phone-sized page in its own context (own profile, cookies, permissions), with its console kept. */
export async function openPage(browser, { initScript, contextOptions, onPage } = {}) {
  const context = await browser.newContext({ viewport: { width: 412, height: 860 }, ...contextOptions });
  if (initScript) await context.addInitScript(initScript);
  const page = await context.newPage();
  onPage?.(page);
  page.logs = [];
  page.on('console', (m) => page.logs.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => page.logs.push(`[pageerror] ${e.message}`));
  return page;
}

/** Opens the softphone page (served by the edge) and signs in as a demo user. */
export async function signIn(browser, user, options = {}) {
  const page = await openPage(browser, options);
  await page.goto(`${EDGE_HTTP}/?user=${user}&server=${encodeURIComponent(EDGE_WS)}`);
  await page.fill('#demo-password', 'demo');
  await page.fill('#demo-domain', DOMAIN);
  await page.click('#signin-button');
  await page.waitForSelector('#status[data-state="registered"]', { timeout: 15_000 });
  return page;
}

/** Opens the softphone page and signs in with a platform access token (the token tab). */
export async function signInWithToken(browser, token, options = {}) {
  const page = await openPage(browser, options);
  await page.goto(`${EDGE_HTTP}/?server=${encodeURIComponent(EDGE_WS)}&account=${encodeURIComponent(ACCOUNT)}`);
  await page.click('.tab[data-tab="token"]');
  await page.fill('#token', token);
  await page.click('#signin-button');
  await page.waitForSelector('#status[data-state="registered"]', { timeout: 15_000 });
  return page;
}

/** Audio counters of the page's current call: packets received/sent and received audio energy. */
export function audioCounters(page, pcExpression = 'window.webcallApp.call?.peerConnection') {
  return page.evaluate(async (expr) => {
    // eslint-disable-next-line no-eval
    const pc = (0, eval)(expr);
    if (!pc) return { received: 0, sent: 0, energy: 0 };
    const report = await pc.getStats();
    let received = 0, sent = 0, energy = 0;
    report.forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'audio') {
        received += s.packetsReceived || 0;
        energy += s.totalAudioEnergy || 0;
      }
      if (s.type === 'outbound-rtp' && s.kind === 'audio') sent += s.packetsSent || 0;
    });
    return { received, sent, energy };
  }, pcExpression);
}

/** Waits until the received packet count grows by `delta`; returns [before, after]. */
export async function expectAudioGrowth(page, { delta = 50, timeoutMs = 10_000, pc } = {}) {
  const before = await audioCounters(page, pc);
  const until = Date.now() + timeoutMs;
  let now = before;
  while (Date.now() < until) {
    await sleep(250);
    now = await audioCounters(page, pc);
    if (now.received - before.received >= delta) return [before, now];
  }
  throw new Error(`inbound audio did not grow by ${delta} packets in ${timeoutMs} ms (before ${JSON.stringify(before)}, after ${JSON.stringify(now)})`);
}

export async function dial(page, target) {
  await page.fill('#target', target);
  await page.click('#call-button');
  await page.waitForFunction(() => window.webcallApp.call?.state === 'active', null, { timeout: 15_000 });
}

export async function hangup(page) {
  await page.evaluate(() => window.webcallApp.call?.hangup());
  await page.waitForFunction(() => !window.webcallApp.call, null, { timeout: 10_000 });
}

/** Ends the page's call if there is one (cleanup after a failed assertion). */
export async function endCall(page) {
  if (await page.evaluate(() => !!window.webcallApp.call).catch(() => false)) await hangup(page).catch(() => {});
}

/**
 * The browser's view of the call's media path, for failure messages: ICE and DTLS states, the
 * selected candidate pair (addresses, ufrag generation) and the packet counters.
 */
export function mediaPathDiagnostics(page, pcExpression = 'window.webcallApp.call?.peerConnection') {
  return page.evaluate(async (expr) => {
    // eslint-disable-next-line no-eval
    const pc = (0, eval)(expr);
    if (!pc) return 'no peer connection';
    const report = await pc.getStats();
    const byId = new Map();
    report.forEach((s) => byId.set(s.id, s));
    const out = { ice: pc.iceConnectionState, connection: pc.connectionState, signaling: pc.signalingState };
    report.forEach((s) => {
      if (s.type === 'transport') {
        const pair = byId.get(s.selectedCandidatePairId);
        const local = pair && byId.get(pair.localCandidateId);
        const remote = pair && byId.get(pair.remoteCandidateId);
        Object.assign(out, {
          dtls: s.dtlsState, iceRole: s.iceRole, localUfrag: s.iceLocalUsernameFragment, selectedPairChanges: s.selectedCandidatePairChanges,
          pair: pair && `${local?.address}:${local?.port} -> ${remote?.address}:${remote?.port} (${pair.state}, sent ${pair.packetsSent ?? pair.bytesSent}, received ${pair.packetsReceived ?? pair.bytesReceived})`,
          transportBytes: `${s.bytesSent} sent / ${s.bytesReceived} received`,
        });
      }
      if (s.type === 'inbound-rtp' && s.kind === 'audio') out.inbound = `${s.packetsReceived} packets, ssrc ${s.ssrc}`;
      if (s.type === 'outbound-rtp' && s.kind === 'audio') out.outbound = `${s.packetsSent} packets, ssrc ${s.ssrc}`;
    });
    out.remoteUfrag = /a=ice-ufrag:(\S+)/.exec(pc.remoteDescription?.sdp ?? '')?.[1];
    return JSON.stringify(out);
  }, pcExpression);
}

/**
 * Evaluates `fn(arg)` in the page (it may be async) every 200 ms until it returns a truthy value, and
 * resolves with that value; fails after `timeoutMs` with `what` and the page's last console lines in the message.
 */
export async function pollPage(page, what, fn, arg, timeoutMs = 10_000) {
  const until = Date.now() + timeoutMs;
  let last;
  while (Date.now() < until) {
    last = await page.evaluate(fn, arg);
    if (last) return last;
    await sleep(200);
  }
  const logs = page.logs?.length ? `; page console, last lines:\n${page.logs.slice(-15).join('\n')}` : '';
  throw new Error(`${what}: not within ${timeoutMs} ms (last: ${JSON.stringify(last)})${logs}`);
}
