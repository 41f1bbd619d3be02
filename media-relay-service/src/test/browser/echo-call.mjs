// Drives headless Chromium through an echo call with the media relay and prints one JSON line:
// {"ok":bool,"packetsReceived":n,"packetsSent":n,"iceState":"...","dtlsState":"...","roundTripTime":s|null,
//  "error":"..."}
// Usage: node echo-call.mjs --relay http://127.0.0.1:PORT --call CALL_ID
//        [--turn turn:127.0.0.1:3478 --turn-user USER --turn-pass PASS]  (forces iceTransportPolicy 'relay')
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS } from '../../../../e2e-tests/test/support/chromium-flags.mjs';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) => {
  if (arg.startsWith('--')) pairs.push([arg.slice(2), all[i + 1]]);
  return pairs;
}, []));
const relay = args.relay;
const callId = args.call;

// the same Chromium command line as the platform's browser tests (loopback only, fake audio devices)
const FLAGS = CHROMIUM_ARGS;

async function waitForRelay() {
  const deadline = Date.now() + 60000;
  while (Date.now() < deadline) {
    try {
      const r = await fetch(`${relay}/q/health/ready`);
      if (r.ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('relay did not become ready');
}

const userDataDir = mkdtempSync(join(tmpdir(), 'relay-chromium-'));
let context;
try {
  await waitForRelay();
  context = await chromium.launchPersistentContext(userDataDir, { executablePath: '/usr/bin/chromium', args: FLAGS });
  const page = await context.newPage();
  // same origin as the control API, and a secure context (loopback) for getUserMedia
  await page.goto(`${relay}/q/health/live`);
  const result = await page.evaluate(async ({ callId, turn }) => {
    const config = { bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' };
    if (turn) {
      config.iceServers = [{ urls: turn.url, username: turn.user, credential: turn.pass }];
      config.iceTransportPolicy = 'relay';
    }
    const pc = new RTCPeerConnection(config);
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    stream.getTracks().forEach((t) => pc.addTrack(t, stream));
    await pc.setLocalDescription(await pc.createOffer());
    if (turn) {
      // relay-only: the offer must carry the TURN candidate, so wait for gathering
      await new Promise((resolve) => {
        if (pc.iceGatheringState === 'complete') resolve();
        pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
        setTimeout(resolve, 5000);
      });
    }
    const response = await fetch(`/v1/sessions/${encodeURIComponent(callId)}/offer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sdp: pc.localDescription.sdp, from: 'webrtc', to: 'echo', fromTag: 'browser' }),
    });
    if (!response.ok) return { ok: false, error: `offer ${response.status}: ${await response.text()}` };
    const { sdp } = await response.json();
    await pc.setRemoteDescription({ type: 'answer', sdp });
    let inbound = 0; let outbound = 0; let candidateType = null;
    const deadline = Date.now() + 20000;
    while (Date.now() < deadline && inbound < 100) {
      await new Promise((r) => setTimeout(r, 250));
      const stats = await pc.getStats();
      stats.forEach((s) => {
        if (s.type === 'inbound-rtp' && s.kind === 'audio') inbound = s.packetsReceived;
        if (s.type === 'outbound-rtp' && s.kind === 'audio') outbound = s.packetsSent;
        if (s.type === 'local-candidate' && s.candidateType === 'relay') candidateType = 'relay';
      });
    }
    // the relay's report blocks on Chromium's SRs give Chromium a round-trip time (remote-inbound-rtp);
    // waited for on the direct path only
    let roundTripTime = null;
    const rttDeadline = Date.now() + 15000;
    while (!turn && inbound >= 100 && roundTripTime === null && Date.now() < rttDeadline) {
      (await pc.getStats()).forEach((s) => {
        if (s.type === 'remote-inbound-rtp' && s.kind === 'audio' && typeof s.roundTripTime === 'number') {
          roundTripTime = s.roundTripTime;
        }
      });
      if (roundTripTime === null) await new Promise((r) => setTimeout(r, 250));
    }
    const transport = [...(await pc.getStats()).values()].find((s) => s.type === 'transport');
    const out = {
      ok: inbound >= 100, packetsReceived: inbound, packetsSent: outbound,
      iceState: pc.iceConnectionState, dtlsState: transport ? transport.dtlsState : null,
      usedRelayCandidate: candidateType === 'relay', roundTripTime,
    };
    pc.close();
    return out;
  }, { callId, turn: args.turn ? { url: args.turn, user: args['turn-user'], pass: args['turn-pass'] } : null });
  console.log(JSON.stringify(result));
} catch (e) {
  console.log(JSON.stringify({ ok: false, error: String(e && e.stack || e) }));
} finally {
  if (context) await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
