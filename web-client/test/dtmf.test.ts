import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseDtmfTransport, dtmfDurationMs, dtmfSenderReady, normalizeDigits } from '../src/sdk/dtmf';

test('digits are validated and upper-cased', () => {
  assert.equal(normalizeDigits('12a#*,'), '12A#*,');
  assert.equal(normalizeDigits(42), '42');
});

test('an invalid digit is named in the error', () => {
  assert.throws(() => normalizeDigits('12x'), /invalid DTMF digit "x"/);
  assert.throws(() => normalizeDigits(''), /non-empty/);
});

test('RFC 4733 is used when the sender can insert DTMF, SIP INFO otherwise', () => {
  assert.equal(chooseDtmfTransport('auto', true), 'rfc4733');
  assert.equal(chooseDtmfTransport('auto', false), 'info');
  assert.equal(chooseDtmfTransport('rfc4733', false), 'info', 'falls back when telephone-event was not negotiated');
  assert.equal(chooseDtmfTransport('info', true), 'info');
});

test('tone train duration counts tones, gaps and 2 s pauses', () => {
  assert.equal(dtmfDurationMs('12', 100, 70), 340);
  assert.equal(dtmfDurationMs('1,2', 100, 70), 2340);
});

test('DTMF waits for the sender to be able to insert tones when telephone-event was negotiated', async () => {
  const dtmf = { canInsertDTMF: false };
  const pc = {
    getSenders: () => [{ track: { kind: 'audio' }, dtmf }],
    remoteDescription: { sdp: 'v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0 126\r\na=rtpmap:126 telephone-event/8000\r\n' },
  } as unknown as RTCPeerConnection;
  let ready = false;
  const waiting = dtmfSenderReady(pc, 5000, 5).then(() => (ready = true));
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(ready, false);
  dtmf.canInsertDTMF = true;
  await waiting;
  assert.equal(ready, true);
});

test('DTMF does not wait when telephone-event was not negotiated (SIP INFO follows)', async () => {
  const pc = {
    getSenders: () => [{ track: { kind: 'audio' }, dtmf: { canInsertDTMF: false } }],
    remoteDescription: { sdp: 'v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=rtpmap:0 PCMU/8000\r\n' },
  } as unknown as RTCPeerConnection;
  const started = Date.now();
  await dtmfSenderReady(pc, 5000, 5);
  assert.ok(Date.now() - started < 1000);
  await dtmfSenderReady(null, 5000); // no connection
});
