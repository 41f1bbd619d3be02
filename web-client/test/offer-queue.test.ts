import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OfferQueue } from '../src/sdk/offer-queue';

const tick = () => new Promise((r) => setTimeout(r, 1));

test('queued offers run one after another, never overlapping', async () => {
  const queue = new OfferQueue();
  const log: string[] = [];
  let running = 0;
  const op = (name: string) => async () => {
    running++;
    assert.equal(running, 1, `${name} overlaps another exchange`);
    log.push(`start ${name}`);
    await tick();
    log.push(`end ${name}`);
    running--;
    return name;
  };
  const results = await Promise.all([queue.run(op('hold')), queue.run(op('resume')), queue.run(op('ice restart'))]);
  assert.deepEqual(results, ['hold', 'resume', 'ice restart']);
  assert.deepEqual(log, ['start hold', 'end hold', 'start resume', 'end resume', 'start ice restart', 'end ice restart']);
});

test('a failed exchange rejects its own caller and does not block the next one', async () => {
  const queue = new OfferQueue();
  const failed = queue.run(async () => {
    throw new Error('488 Not Acceptable Here');
  });
  const next = queue.run(async () => 'resumed');
  await assert.rejects(failed, /488/);
  assert.equal(await next, 'resumed');
});
