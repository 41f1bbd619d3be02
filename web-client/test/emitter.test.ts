import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Emitter } from '../src/sdk/emitter';

class Probe extends Emitter<{ ping: number; done: void }> {
  fire(n: number) {
    this.emit('ping', n);
  }
}

test('listeners receive payloads until removed', () => {
  const p = new Probe();
  const got: number[] = [];
  const off = p.on('ping', (n) => got.push(n));
  p.fire(1);
  off();
  p.fire(2);
  assert.deepEqual(got, [1]);
});

test('once and next see only the first event', async () => {
  const p = new Probe();
  const got: number[] = [];
  p.once('ping', (n) => got.push(n));
  const next = p.next('ping');
  p.fire(7);
  p.fire(8);
  assert.deepEqual(got, [7]);
  assert.equal(await next, 7);
});

test('a throwing listener does not stop the others', () => {
  const p = new Probe();
  const got: number[] = [];
  const original = console.error;
  console.error = () => {};
  try {
    p.on('ping', () => {
      throw new Error('ui bug');
    });
    p.on('ping', (n) => got.push(n));
    p.fire(3);
  } finally {
    console.error = original;
  }
  assert.deepEqual(got, [3]);
});
