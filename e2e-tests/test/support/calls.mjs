// Call setup shared by the cases: a second signed-in user, a call one page places and another answers,
// and sipp standing in for the tenant's PBX. Each helper cleans up whatever happened in the body.
import { signIn, endCall } from './browser.mjs';
import { Sipp } from './sipp.mjs';

/** Signs `user` in on a new page, runs `body(page)` and closes the page's context afterwards. */
export async function withUser(browser, user, body, options) {
  const page = await signIn(browser, user, options);
  try {
    return await body(page);
  } finally {
    await endCall(page);
    await page.context().close();
  }
}

/** Answers the call ringing on `page` (its incoming-call panel) and waits until the call is active. */
export async function answerIncoming(page, { timeoutMs = 15_000 } = {}) {
  await page.waitForSelector('#incoming:not([hidden])', { timeout: timeoutMs });
  await page.click('#answer');
  await page.waitForFunction(() => window.webcallApp.call?.state === 'active', null, { timeout: timeoutMs });
}

/** `caller` dials `target` from its keypad; `callee`'s page rings and answers; resolves once both are active. */
export async function callAndAnswer(caller, callee, target) {
  await caller.fill('#target', target);
  await caller.click('#call-button');
  await answerIncoming(callee);
  await caller.waitForFunction(() => window.webcallApp.call?.state === 'active', null, { timeout: 15_000 });
}

/**
 * Runs `body(pbx)` with sipp as the tenant's PBX (`role` 'uas' answers one call, 'uac' calls
 * `options.user`), then ends `page`'s call and stops sipp, whatever happened in the body.
 */
export async function withPbx(page, role, options, body) {
  const pbx = new Sipp(role, options);
  try {
    return await body(pbx);
  } finally {
    await endCall(page);
    await pbx.stop();
  }
}
