// The softphone as an installable progressive web app: a valid manifest Chromium accepts for
// installation, a service worker that serves the page shell offline, and a notification for an
// incoming call while the page is in the background.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EDGE_HTTP, EDGE_WS } from '../support/stack.mjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, endCall, pollPage, signIn } from '../support/browser.mjs';

/**
 * Page script: headless Chromium keeps every page visible (no window can be minimised or covered), so
 * the page's visibility is switched here the way a browser reports it when the tab goes to the background:
 * document.hidden, document.visibilityState and a visibilitychange event.
 */
function switchableVisibility() {
  let hidden = false;
  Object.defineProperty(Document.prototype, 'hidden', { configurable: true, get: () => hidden });
  Object.defineProperty(Document.prototype, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
  window.setPageHidden = (value) => {
    hidden = value;
    document.dispatchEvent(new Event('visibilitychange'));
  };
}

export function register(ctx) {
  test('the manifest and service worker are served and valid: Chromium finds the page installable and the shell works offline', { timeout: 60_000 }, async () => {
    const res = await fetch(`${EDGE_HTTP}/manifest.webmanifest`);
    assert.equal(res.status, 200);
    const manifest = await res.json();
    assert.equal(manifest.display, 'standalone');
    assert.ok(manifest.name && manifest.short_name && manifest.start_url, JSON.stringify(manifest));
    for (const icon of manifest.icons) {
      const image = await fetch(new URL(icon.src, `${EDGE_HTTP}/`));
      assert.equal(image.status, 200, icon.src);
      assert.equal(image.headers.get('content-type')?.split(';')[0], icon.type, icon.src);
    }
    const sw = await fetch(`${EDGE_HTTP}/sw.js`);
    assert.equal(sw.status, 200);
    assert.match(sw.headers.get('content-type') ?? '', /javascript/);

    // installability is judged for a real profile: playwright's contexts are incognito-like
    const profile = mkdtempSync(join(tmpdir(), 'webcall-pwa-'));
    const context = await chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
    const page = context.pages()[0] ?? (await context.newPage());
    try {
      await page.goto(`${EDGE_HTTP}/?server=${encodeURIComponent(EDGE_WS)}`);
      await pollPage(page, 'the service worker is activated', async () => (await navigator.serviceWorker.ready).active?.state === 'activated');
      const worker = await page.evaluate(async () => {
        const reg = await navigator.serviceWorker.ready;
        return { scope: reg.scope, state: reg.active?.state, script: reg.active?.scriptURL };
      });
      assert.deepEqual(worker, { scope: `${EDGE_HTTP}/`, state: 'activated', script: `${EDGE_HTTP}/sw.js` });
      const cdp = await page.context().newCDPSession(page);
      const parsed = await cdp.send('Page.getAppManifest');
      assert.deepEqual(parsed.errors, [], `manifest errors: ${JSON.stringify(parsed.errors)}`);
      const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
      assert.deepEqual(installabilityErrors, [], `installability: ${JSON.stringify(installabilityErrors)}`);

      // the shell comes from the service worker's cache when the network is gone
      await pollPage(page, 'the shell is cached', async () => (await (await caches.open('webcall-shell-v1')).keys()).length >= 6);
      await page.context().setOffline(true);
      await page.reload();
      await page.waitForSelector('#signin-button', { state: 'visible', timeout: 10_000 });
      assert.equal(await page.evaluate(() => typeof window.webcallApp), 'object', 'the page script ran offline');
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });

  test('an incoming call while the page is hidden (in the background) shows a notification with answer and reject, closed once answered', { timeout: 60_000 }, async () => {
    const { browser, alice } = ctx;
    const carol = await signIn(browser, 'carol', { contextOptions: { permissions: ['notifications'] }, initScript: switchableVisibility });
    try {
      await carol.evaluate(() => navigator.serviceWorker.ready);
      await carol.evaluate(() => window.setPageHidden(true));

      await alice.fill('#target', 'carol');
      await alice.click('#call-button');
      await carol.waitForSelector('#incoming:not([hidden])', { state: 'attached', timeout: 10_000 });
      const shown = await pollPage(carol, 'the incoming-call notification', async () => {
        const list = await (await navigator.serviceWorker.ready).getNotifications({ tag: 'incoming-call' });
        return list.length ? list.map((n) => ({ title: n.title, body: n.body, actions: n.actions.map((a) => a.action), requireInteraction: n.requireInteraction })) : null;
      });
      assert.deepEqual(shown, [{ title: 'Incoming call', body: 'alice', actions: ['answer', 'reject'], requireInteraction: true }]);

      // the user comes back and answers: the notification goes away
      await carol.evaluate(() => window.setPageHidden(false));
      await carol.click('#answer');
      await alice.waitForFunction(() => window.webcallApp.call?.state === 'active', null, { timeout: 15_000 });
      await pollPage(carol, 'the notification is closed', async () => (await (await navigator.serviceWorker.ready).getNotifications({ tag: 'incoming-call' })).length === 0);
      await endCall(alice);
      await carol.waitForFunction(() => !window.webcallApp.call, null, { timeout: 10_000 });
    } finally {
      await endCall(alice);
      await carol.context().close();
    }
  });
}
