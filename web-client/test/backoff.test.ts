import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Backoff } from '../src/sdk/backoff';

test('delays double per attempt when the jitter draws its maximum', () => {
  const b = new Backoff({ initialMs: 500, maxMs: 30000 }, () => 1);
  assert.deepEqual([1, 2, 3, 4, 5].map((n) => b.delayMs(n)), [500, 1000, 2000, 4000, 8000]);
});

test('delays never exceed maxMs however many attempts failed', () => {
  const b = new Backoff({ initialMs: 500, maxMs: 30000 }, () => 1);
  assert.equal(b.delayMs(50), 30000);
  assert.equal(b.delayMs(1000), 30000);
});

test('jitter keeps each delay between half and all of its ceiling', () => {
  const b = new Backoff({ initialMs: 1000, maxMs: 8000 });
  for (let attempt = 1; attempt <= 6; attempt++) {
    const ceiling = Math.min(8000, 1000 * 2 ** (attempt - 1));
    for (let i = 0; i < 200; i++) {
      const d = b.delayMs(attempt);
      assert.ok(d >= ceiling / 2 && d <= ceiling, `attempt ${attempt}: ${d} outside [${ceiling / 2}, ${ceiling}]`);
    }
  }
});

test('two clients with different random draws get different delays (no lock-step)', () => {
  const a = new Backoff({}, () => 0.1);
  const c = new Backoff({}, () => 0.9);
  assert.notEqual(a.delayMs(4), c.delayMs(4));
});

test('attempt numbers below one are treated as the first attempt', () => {
  const b = new Backoff({ initialMs: 400 }, () => 1);
  assert.equal(b.delayMs(0), 400);
  assert.equal(b.delayMs(-3), 400);
});

test('nonsensical options are refused', () => {
  assert.throws(() => new Backoff({ initialMs: 0 }), RangeError);
  assert.throws(() => new Backoff({ initialMs: 1000, maxMs: 10 }), RangeError);
  assert.throws(() => new Backoff({ factor: 0.5 }), RangeError);
});
