import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sessionHandlers, type SessionEventSink } from '../src/sdk/session-handlers';

function recordingSink(): SessionEventSink & { calls: unknown[][] } {
  const calls: unknown[][] = [];
  const rec = (name: string) => (...args: unknown[]) => void calls.push([name, ...args]);
  return {
    calls,
    iceServers: () => [],
    iceGathering: { maxWaitMs: 500, settleMs: 60 },
    iceReady: rec('iceReady'),
    peerConnection: rec('peerConnection'),
    progress: rec('progress'),
    active: rec('active'),
    hold: rec('hold'),
    muted: rec('muted'),
    refer: rec('refer'),
    replaces: rec('replaces'),
    dtmf: rec('dtmf'),
    ended: rec('ended'),
    failed: rec('failed'),
  };
}

test("JsSIP's session events become the call's, with who did what", () => {
  const sink = recordingSink();
  const h = sessionHandlers(sink);
  h.progress({ response: { body: 'v=0' } });
  h.progress({ response: {} });
  h.accepted({});
  h.confirmed({});
  h.hold({ originator: 'local' });
  h.unhold({ originator: 'remote' });
  h.muted({});
  h.unmuted({});
  h.newDTMF({ originator: 'remote', dtmf: { tone: '5' } });
  h.newDTMF({ originator: 'local', dtmf: { tone: '6' } }); // our own digits are not reported back
  h.ended({ originator: 'remote', cause: 'BYE' });
  const response = { status_code: 422, getHeader: () => '1800' };
  h.failed({ originator: 'remote', cause: 'SIP Failure Code', message: response });
  assert.deepEqual(sink.calls, [
    ['progress', true],
    ['progress', false],
    ['active'],
    ['active'],
    ['hold', true, true],
    ['hold', false, false],
    ['muted', true],
    ['muted', false],
    ['dtmf', '5'],
    ['ended', 'remote', 'BYE'],
    ['failed', 'remote', 'SIP Failure Code', 422, response],
  ]);
});

test('the SDP goes out when the gathering policy fires, and the next offer (ICE restart) gets a fresh policy', async () => {
  const sink = recordingSink();
  sink.iceServers = () => [{ urls: 'turn:turn.example.com' }]; // with TURN, a relay candidate is worth waiting for
  sink.iceGathering = { maxWaitMs: 10_000 };
  const h = sessionHandlers(sink);
  let regather: () => void = () => {};
  sink.peerConnection = (_pc, again) => void (regather = again);
  h.peerconnection({ peerconnection: {} as RTCPeerConnection });
  let sent = 0;
  const ready = () => sent++;
  regather();
  h.icecandidate({ candidate: { candidate: 'candidate:1 1 udp 2130706431 10.0.0.2 40000 typ host' }, ready });
  assert.equal(sent, 0, 'a host candidate alone does not send the offer when TURN may give a relay candidate');
  h.icecandidate({ candidate: { candidate: 'candidate:2 1 udp 16777215 192.0.2.7 50000 typ relay' }, ready });
  assert.equal(sent, 1, 'the relay candidate sends it at once');
  assert.equal(sink.calls.filter((c) => c[0] === 'iceReady')[0][1], 'relay candidate');
  h.sdp({});
  // the ICE restart's gathering: a new policy, so the first candidate of the new round counts again
  regather();
  h.icecandidate({ candidate: { candidate: 'candidate:3 1 udp 16777215 192.0.2.7 50002 typ relay' }, ready });
  assert.equal(sent, 2);
  assert.equal(sink.calls.filter((c) => c[0] === 'iceReady').length, 2);
});
