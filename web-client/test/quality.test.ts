import { test } from 'node:test';
import assert from 'node:assert/strict';
import { QualityWarnings, StatsSampler, estimateMos, type QualitySample } from '../src/sdk/quality';

test('a clean local network scores a MOS above 4.3', () => {
  assert.ok(estimateMos(20, 2, 0) > 4.3, String(estimateMos(20, 2, 0)));
});

test('MOS falls as loss, delay and jitter grow', () => {
  const base = estimateMos(50, 5, 0);
  assert.ok(estimateMos(50, 5, 0.05) < base);
  assert.ok(estimateMos(600, 5, 0) < base);
  assert.ok(estimateMos(50, 80, 0) < base);
  assert.ok(estimateMos(50, 5, 0.2) < 3, 'heavy loss is poor quality');
});

test('MOS stays within 1..4.5 for extreme inputs', () => {
  assert.equal(estimateMos(10000, 1000, 1), 1);
  assert.ok(estimateMos(0, 0, 0) <= 4.5);
});

const report = (o: { recv: number; lost: number; sent: number; remoteLost?: number; rtt?: number; jitter?: number; level?: number }) => [
  { type: 'inbound-rtp', kind: 'audio', packetsReceived: o.recv, packetsLost: o.lost, jitter: o.jitter ?? 0.004 },
  { type: 'outbound-rtp', kind: 'audio', packetsSent: o.sent },
  { type: 'remote-inbound-rtp', kind: 'audio', packetsLost: o.remoteLost ?? 0, roundTripTime: o.rtt ?? 0.03 },
  { type: 'media-source', kind: 'audio', audioLevel: o.level ?? 0.2 },
];

test('loss and packet counts are per interval, not since the call started', () => {
  const s = new StatsSampler();
  const first = s.sample(report({ recv: 100, lost: 0, sent: 100 }));
  assert.equal(first.packetsReceived, 100);
  assert.equal(first.loss, 0);
  const second = s.sample(report({ recv: 190, lost: 10, sent: 200 }));
  assert.equal(second.packetsReceived, 90);
  assert.equal(second.totalPacketsReceived, 190);
  assert.equal(second.loss, 0.1);
});

test('loss reported by the far end (remote-inbound-rtp) counts too', () => {
  const s = new StatsSampler();
  s.sample(report({ recv: 100, lost: 0, sent: 100 }));
  const sample = s.sample(report({ recv: 200, lost: 0, sent: 200, remoteLost: 20 }));
  assert.equal(sample.loss, 0.2);
});

test('RTT comes from remote-inbound-rtp, else from the selected candidate pair', () => {
  assert.equal(new StatsSampler().sample(report({ recv: 1, lost: 0, sent: 1, rtt: 0.123 })).rttMs, 123);
  const pairOnly = [
    { type: 'inbound-rtp', kind: 'audio', packetsReceived: 5, packetsLost: 0, jitter: 0 },
    { type: 'candidate-pair', nominated: true, state: 'succeeded', currentRoundTripTime: 0.045 },
  ];
  assert.equal(new StatsSampler().sample(pairOnly).rttMs, 45);
  assert.equal(new StatsSampler().sample([]).rttMs, null);
});

test('a Map-like RTCStatsReport is accepted', () => {
  const map = new Map(report({ recv: 10, lost: 0, sent: 10, jitter: 0.012 }).map((e, i) => [String(i), e]));
  const sample = new StatsSampler().sample(map as unknown as Iterable<never>);
  assert.equal(sample.jitterMs, 12);
});

const sample = (o: Partial<QualitySample>): QualitySample => ({
  rttMs: 40, jitterMs: 3, loss: 0, mos: 4.4, packetsReceived: 50, totalPacketsReceived: 50, packetsSent: 50, microphoneLevel: 0.3, ...o,
});

test('a warning is raised once and cleared only below the lower threshold', () => {
  const w = new QualityWarnings();
  assert.deepEqual(w.update(sample({ rttMs: 450 })).map((c) => [c.warning, c.active]), [['high-rtt', true]]);
  assert.deepEqual(w.update(sample({ rttMs: 500 })), [], 'no repeat while still high');
  assert.deepEqual(w.update(sample({ rttMs: 350 })), [], 'between thresholds: stays raised');
  assert.deepEqual(w.current, ['high-rtt']);
  assert.deepEqual(w.update(sample({ rttMs: 250 })).map((c) => [c.warning, c.active]), [['high-rtt', false]]);
  assert.deepEqual(w.current, []);
});

test('loss and low MOS raise their own warnings', () => {
  const w = new QualityWarnings();
  const changes = w.update(sample({ loss: 0.12, mos: 2.4 })).map((c) => c.warning).sort();
  assert.deepEqual(changes, ['high-loss', 'low-mos']);
});

test('a silent microphone is reported after a few samples and cleared when sound returns', () => {
  const w = new QualityWarnings({ silentSamples: 3 });
  assert.deepEqual(w.update(sample({ microphoneLevel: 0 })), []);
  assert.deepEqual(w.update(sample({ microphoneLevel: 0 })), []);
  assert.deepEqual(w.update(sample({ microphoneLevel: 0 })).map((c) => c.warning), ['no-microphone-audio']);
  assert.deepEqual(w.update(sample({ microphoneLevel: 0.2 })).map((c) => [c.warning, c.active]), [['no-microphone-audio', false]]);
});

test('no packets received is reported after two samples, scores MOS 1, and clears when audio returns', () => {
  const s = new StatsSampler();
  s.sample(report({ recv: 100, lost: 0, sent: 100 }));
  const starved = s.sample(report({ recv: 100, lost: 0, sent: 200 }));
  assert.equal(starved.packetsReceived, 0);
  assert.equal(starved.mos, 1, 'no audio is not good audio');
  const w = new QualityWarnings();
  assert.deepEqual(w.update(starved), []);
  assert.deepEqual(w.update(starved).map((c) => [c.warning, c.active]), [['no-audio-received', true]], 'low-mos is not raised for a starved stream');
  assert.deepEqual(w.update(sample({})).map((c) => [c.warning, c.active]), [['no-audio-received', false]]);
});

test('on hold, missing audio and a silent microphone are expected', () => {
  const w = new QualityWarnings({ silentSamples: 1, noAudioSamples: 1 });
  for (let i = 0; i < 4; i++) assert.deepEqual(w.update(sample({ packetsReceived: 0, microphoneLevel: 0 }), false, true), []);
});

test('silence while muted is expected and raises nothing', () => {
  const w = new QualityWarnings({ silentSamples: 2 });
  for (let i = 0; i < 5; i++) assert.deepEqual(w.update(sample({ microphoneLevel: 0 }), true), []);
});

test('custom thresholds override the defaults', () => {
  const w = new QualityWarnings({ rttRaiseMs: 100, rttClearMs: 80 });
  assert.equal(w.update(sample({ rttMs: 120 }))[0]?.warning, 'high-rtt');
});
