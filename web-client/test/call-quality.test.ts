import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CallQualityMonitor } from '../src/sdk/call-quality';
import type { QualitySample } from '../src/sdk/quality';
import type { WarningChange } from '../src/sdk/quality';

/** A peer connection whose getStats answers the next prepared report. */
function fakePc(reports: object[][]) {
  return { getStats: async () => reports.shift() ?? [] } as unknown as RTCPeerConnection;
}
const stats = (recv: number, lost: number, sent: number) => [
  { type: 'inbound-rtp', kind: 'audio', packetsReceived: recv, packetsLost: lost, jitter: 0.004 },
  { type: 'outbound-rtp', kind: 'audio', packetsSent: sent },
  { type: 'remote-inbound-rtp', kind: 'audio', packetsLost: 0, roundTripTime: 0.03 },
  { type: 'media-source', kind: 'audio', audioLevel: 0.2 },
];

test('each sample is reported, and loss raises then clears the warnings', async () => {
  const samples: QualitySample[] = [];
  const changes: WarningChange[] = [];
  const pc = fakePc([stats(100, 0, 100), stats(170, 30, 200), stats(270, 30, 300)]);
  const monitor = new CallQualityMonitor({}, 2000, { peerConnection: () => pc, active: () => true, muted: () => false, held: () => false },
    (s) => samples.push(s), (c) => changes.push(c));
  await monitor.collect();
  await monitor.collect(); // 30 of 100 lost in this interval
  assert.deepEqual(monitor.activeWarnings.sort(), ['high-loss', 'low-mos']);
  await monitor.collect(); // clean again
  assert.deepEqual(monitor.activeWarnings, []);
  assert.equal(samples.length, 3);
  assert.equal(monitor.latest, samples[2]);
  assert.deepEqual(changes.map((c) => `${c.active ? 'raise' : 'clear'} ${c.warning}`).sort(),
    ['clear high-loss', 'clear low-mos', 'raise high-loss', 'raise low-mos']);
});

test('no sample without a connection or outside the active state', async () => {
  let active = false;
  const pc = fakePc([stats(50, 0, 50)]);
  const monitor = new CallQualityMonitor({}, 2000, { peerConnection: () => pc, active: () => active, muted: () => false, held: () => false },
    () => assert.fail('no sample expected'), () => {});
  assert.equal(await monitor.collect(), null);
  const none = new CallQualityMonitor({}, 2000, { peerConnection: () => null, active: () => true, muted: () => false, held: () => false },
    () => assert.fail('no sample expected'), () => {});
  assert.equal(await none.collect(), null);
});

test('sampling runs every interval while started and stops with the call', async (t) => {
  t.mock.timers.enable({ apis: ['setInterval'] });
  let taken = 0;
  const pc = { getStats: async () => (taken++, stats(50 * taken, 0, 50 * taken)) } as unknown as RTCPeerConnection;
  const monitor = new CallQualityMonitor({}, 2000, { peerConnection: () => pc, active: () => true, muted: () => false, held: () => false },
    () => {}, () => {});
  monitor.start();
  monitor.start(); // idempotent
  t.mock.timers.tick(6000);
  assert.equal(taken, 3);
  monitor.stop();
  t.mock.timers.tick(6000);
  assert.equal(taken, 3);
});
