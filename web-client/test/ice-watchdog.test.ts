import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IceWatchdog, iceConnected, mediaConnected } from '../src/sdk/ice-watchdog';

test('ICE failed asks for a restart at once', () => {
  const reasons: string[] = [];
  const dog = new IceWatchdog((r) => reasons.push(r), () => true, 2500);
  dog.onState('failed');
  assert.deepEqual(reasons, ['ICE failed']);
});

test('ICE disconnected asks for a restart only after the grace period, and not if it heals', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const reasons: string[] = [];
  const dog = new IceWatchdog((r) => reasons.push(r), () => true, 2500);
  dog.onState('disconnected');
  t.mock.timers.tick(2000);
  dog.onState('connected'); // healed by itself
  t.mock.timers.tick(5000);
  assert.deepEqual(reasons, []);
  dog.onState('disconnected');
  t.mock.timers.tick(2500);
  assert.deepEqual(reasons, ['ICE disconnected']);
});

test('nothing is asked while the call does not want a restart (not active, or already restarting)', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const reasons: string[] = [];
  let enabled = false;
  const dog = new IceWatchdog((r) => reasons.push(r), () => enabled, 2500);
  dog.onState('failed');
  dog.onState('disconnected');
  t.mock.timers.tick(3000);
  assert.deepEqual(reasons, []);
  enabled = true;
  dog.onState('disconnected');
  dog.cancel(); // the call ended
  t.mock.timers.tick(3000);
  assert.deepEqual(reasons, []);
});

test('iceConnected resolves once the connection is connected again', async () => {
  const listeners = new Set<() => void>();
  const pc = {
    iceConnectionState: 'checking',
    addEventListener: (_: string, l: () => void) => listeners.add(l),
    removeEventListener: (_: string, l: () => void) => listeners.delete(l),
  } as unknown as RTCPeerConnection & { iceConnectionState: string };
  let done = false;
  const waiting = iceConnected(pc).then(() => (done = true));
  (pc as { iceConnectionState: string }).iceConnectionState = 'disconnected';
  listeners.forEach((l) => l());
  await new Promise((r) => setTimeout(r, 1));
  assert.equal(done, false);
  (pc as { iceConnectionState: string }).iceConnectionState = 'completed';
  listeners.forEach((l) => l());
  await waiting;
  assert.equal(listeners.size, 0, 'the listener is removed');
  await iceConnected(null); // no connection: nothing to wait for
});

test('mediaConnected waits for ICE and DTLS to be up, but never longer than its bound', async (t) => {
  const listeners = new Set<() => void>();
  const pc = {
    connectionState: 'connecting',
    addEventListener: (_: string, l: () => void) => listeners.add(l),
    removeEventListener: (_: string, l: () => void) => listeners.delete(l),
  } as unknown as RTCPeerConnection & { connectionState: string };
  let done = false;
  const waiting = mediaConnected(pc, 60_000).then(() => (done = true));
  await new Promise((r) => setTimeout(r, 1));
  assert.equal(done, false);
  (pc as { connectionState: string }).connectionState = 'connected';
  listeners.forEach((l) => l());
  await waiting;
  assert.equal(listeners.size, 0);

  t.mock.timers.enable({ apis: ['setTimeout'] });
  (pc as { connectionState: string }).connectionState = 'connecting';
  let late = false;
  const bounded = mediaConnected(pc, 10_000).then(() => (late = true));
  t.mock.timers.tick(10_000);
  await bounded;
  assert.equal(late, true, 'gives up waiting after the bound');
  await mediaConnected(null, 1); // no connection: nothing to wait for
});
