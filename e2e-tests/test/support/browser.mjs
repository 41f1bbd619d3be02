// Debian's Chromium driven by playwright-core, with fake audio devices, kept on loopback.
import { chromium } from 'playwright-core';
import { setTimeout as sleep } from 'node:timers/promises';
import { EDGE_HTTP, EDGE_WS, DOMAIN } from './stack.mjs';

/** Launch flags that keep Chromium on loopback and give it a fake microphone (a beep). */
export const CHROMIUM_ARGS = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', '--allow-loopback-in-peer-connection',
  '--disable-features=WebRtcHideLocalIpsWithMdns,MediaRouter,DialMediaRouteProvider,OptimizationHints,Translate,CertificateTransparencyComponentUpdater,AutofillServerCommunication',
  '--disable-domain-reliability', '--no-pings', '--disable-client-side-phishing-detection',
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1 , EXCLUDE [::1]',
  '--no-proxy-server', '--dns-prefetch-disable', '--disable-default-apps', '--disable-extensions',
  '--autoplay-policy=no-user-gesture-required',
];

export function launchBrowser() {
  // playwright gives every launch a fresh temporary profile (--user-data-dir).
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}

/** Opens the softphone page (served by the edge) and signs in as a demo user. */
export async function signIn(browser, user, { initScript } = {}) {
  const context = await browser.newContext({ viewport: { width: 412, height: 860 } });
  if (initScript) await context.addInitScript(initScript);
  const page = await context.newPage();
  page.logs = [];
  page.on('console', (m) => page.logs.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => page.logs.push(`[pageerror] ${e.message}`));
  await page.goto(`${EDGE_HTTP}/?user=${user}&server=${encodeURIComponent(EDGE_WS)}`);
  await page.fill('#demo-password', 'demo');
  await page.fill('#demo-domain', DOMAIN);
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
