// Browser calls through the real platform: Chromium with fake audio devices, the webcall SDK (and
// SIP.js as a second client), the local stack (embedded PostgreSQL + Kafka, account, relay, edge)
// and sipp as the tenant's PBX. Runs inside a network namespace that only has loopback
// (scripts/run-e2e.sh), so the stack uses its usual ports without meeting anything else.
//
// The cases come in groups (test/cases/*.mjs) sharing one stack and one signed-in alice. Which
// groups run is set by E2E_CASES (comma-separated, or "all"); the default is printed at the start.
import { after, before, describe } from 'node:test';
import { LocalStack } from './support/stack.mjs';
import { launchBrowser, signIn } from './support/browser.mjs';
import { PBX_PORT } from './support/sipp.mjs';
import * as signaling from './cases/signaling.mjs';
import * as media from './cases/media.mjs';
import * as interop from './cases/interop.mjs';
import * as resilience from './cases/resilience.mjs';
import * as recoveryAudio from './cases/recovery-audio.mjs';
import * as records from './cases/records.mjs';
import * as devices from './cases/devices.mjs';
import * as quality from './cases/quality.mjs';
import * as tokens from './cases/tokens.mjs';
import * as pwa from './cases/pwa.mjs';

/** In run order; resilience restarts the edge, so it goes last. */
const GROUPS = { signaling, media, devices, quality, interop, records, tokens, pwa, 'recovery-audio': recoveryAudio, resilience };
/** Groups of the default run (all of them); E2E_CASES=signaling,media picks some. */
const DEFAULT_GROUPS = Object.keys(GROUPS);

const wanted = (process.env.E2E_CASES || DEFAULT_GROUPS.join(','))
  .split(',').map((s) => s.trim()).filter(Boolean);
const selected = wanted.includes('all') ? Object.keys(GROUPS) : wanted;
for (const name of selected) if (!GROUPS[name]) throw new Error(`unknown case group "${name}" (known: ${Object.keys(GROUPS)})`);
const left = Object.keys(GROUPS).filter((g) => !selected.includes(g));
console.log(`e2e case groups: ${selected.join(', ')}${left.length ? ` (not run: ${left.join(', ')}; E2E_CASES=all runs every group)` : ''}`);

const ctx = { stack: new LocalStack({ pbx: `sip:127.0.0.1:${PBX_PORT}` }), browser: null, alice: null };

before(async () => {
  await ctx.stack.start();
  ctx.browser = await launchBrowser();
  ctx.alice = await signIn(ctx.browser, 'alice');
}, { timeout: 330_000 });

after(async () => {
  if (ctx.alice) console.log(`alice's page log (last lines):\n${ctx.alice.logs.slice(-15).join('\n')}`);
  await ctx.browser?.close().catch(() => {});
  await ctx.stack.stop();
}, { timeout: 120_000 });

/** E2E_REPEAT=8 registers every selected group 8 times (to show a case is reliable, not lucky). */
const repeat = Math.max(1, Number(process.env.E2E_REPEAT || 1));
for (let round = 1; round <= repeat; round++) {
  for (const name of Object.keys(GROUPS)) {
    if (selected.includes(name)) describe(repeat > 1 ? `${name} (round ${round}/${repeat})` : name, () => GROUPS[name].register(ctx));
  }
}
