import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IceGatheringPolicy, candidateType, iceServerKinds, type Timers } from '../src/sdk/ice-gathering';

/** A manual clock: timers fire only when the test advances time. */
class ManualTimers implements Timers {
  now = 0;
  private seq = 0;
  private pending = new Map<number, { at: number; fn: () => void }>();
  set(fn: () => void, ms: number) {
    const id = ++this.seq;
    this.pending.set(id, { at: this.now + ms, fn });
    return id;
  }
  clear(handle: unknown) {
    this.pending.delete(handle as number);
  }
  advance(ms: number) {
    const until = this.now + ms;
    for (;;) {
      const due = [...this.pending.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.pending.delete(due[0]);
      this.now = due[1].at;
      due[1].fn();
    }
    this.now = until;
  }
}

const host = { candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host generation 0' };
const srflx = { candidate: 'candidate:2 1 udp 1686052607 203.0.113.7 50000 typ srflx raddr 127.0.0.1 rport 50000' };
const relay = { type: 'relay', candidate: 'candidate:3 1 udp 41885439 198.51.100.2 3478 typ relay' };

function harness(kinds: { stun: boolean; turn: boolean }, options = {}) {
  const timers = new ManualTimers();
  const readyAt: number[] = [];
  const reasons: string[] = [];
  const policy = new IceGatheringPolicy(kinds, options, timers, (reason) => reasons.push(reason));
  const ready = () => readyAt.push(timers.now);
  return { timers, readyAt, reasons, policy, ready };
}

test('with TURN configured, the first relay candidate makes the offer go out at once', () => {
  const h = harness({ stun: true, turn: true });
  h.policy.start();
  h.timers.advance(20);
  h.policy.candidate(host, h.ready);
  h.timers.advance(30);
  h.policy.candidate(srflx, h.ready);
  assert.deepEqual(h.readyAt, [], 'host and srflx are not enough while a relay can still come');
  h.timers.advance(40);
  h.policy.candidate(relay, h.ready);
  assert.deepEqual(h.readyAt, [90]);
  assert.deepEqual(h.reasons, ['relay candidate']);
});

test('with STUN only, a server-reflexive candidate is enough', () => {
  const h = harness({ stun: true, turn: false });
  h.policy.start();
  h.policy.candidate(host, h.ready);
  h.timers.advance(70);
  h.policy.candidate(srflx, h.ready);
  assert.deepEqual(h.readyAt, [70]);
});

test('without ICE servers, host candidates settle briefly then the offer goes out', () => {
  const h = harness({ stun: false, turn: false }, { settleMs: 60 });
  h.policy.start();
  h.timers.advance(5);
  h.policy.candidate(host, h.ready);
  h.timers.advance(10);
  h.policy.candidate(host, h.ready);
  h.timers.advance(100);
  assert.deepEqual(h.readyAt, [65]);
  assert.deepEqual(h.reasons, ['host candidates']);
});

test('a slow or unreachable TURN server costs at most maxWaitMs', () => {
  const h = harness({ stun: true, turn: true }, { maxWaitMs: 400 });
  h.policy.start();
  h.timers.advance(10);
  h.policy.candidate(host, h.ready);
  h.timers.advance(2000);
  assert.deepEqual(h.readyAt, [400]);
  assert.deepEqual(h.reasons, ['deadline']);
});

test('when nothing was gathered by the deadline, the first candidate that arrives is used', () => {
  const h = harness({ stun: true, turn: true }, { maxWaitMs: 300 });
  h.policy.start();
  h.timers.advance(1000);
  assert.deepEqual(h.readyAt, []);
  h.policy.candidate(host, h.ready);
  assert.deepEqual(h.readyAt, [1000]);
});

test('the default bound is well under a second', () => {
  const h = harness({ stun: true, turn: true });
  h.policy.start();
  h.policy.candidate(host, h.ready);
  h.timers.advance(5000);
  assert.equal(h.readyAt.length, 1);
  assert.ok(h.readyAt[0] <= 500, `ready at ${h.readyAt[0]} ms`);
});

test('ready is signalled once even if more candidates and timers follow', () => {
  const h = harness({ stun: false, turn: false });
  h.policy.start();
  h.policy.candidate(relay, h.ready);
  h.policy.candidate(relay, h.ready);
  h.timers.advance(5000);
  assert.equal(h.readyAt.length, 1);
  assert.ok(h.policy.isDone);
});

test('gathering that completes by itself needs no ready call', () => {
  const h = harness({ stun: true, turn: true });
  h.policy.start();
  h.policy.candidate(host, h.ready);
  h.policy.complete();
  h.timers.advance(5000);
  assert.deepEqual(h.readyAt, []);
  assert.deepEqual(h.reasons, ['gathering complete']);
});

test('ICE server URLs tell which candidate kinds can appear', () => {
  assert.deepEqual(iceServerKinds(undefined), { stun: false, turn: false });
  assert.deepEqual(iceServerKinds([{ urls: 'stun:stun.example.com' }]), { stun: true, turn: false });
  assert.deepEqual(iceServerKinds([{ urls: ['turns:t.example.com:443?transport=tcp'] }]), { stun: true, turn: true });
});

test('candidate types are read from the object or from the SDP line', () => {
  assert.equal(candidateType(relay), 'relay');
  assert.equal(candidateType(srflx), 'srflx');
  assert.equal(candidateType(host), 'host');
});
