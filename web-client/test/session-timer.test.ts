import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMinSe, sessionExpiresAfter422 } from '../src/sdk/session-timer';

test('Min-SE values are parsed with or without parameters', () => {
  assert.equal(parseMinSe('1800'), 1800);
  assert.equal(parseMinSe(' 600 ;x=y'), 600);
});

test('Min-SE below the RFC 4028 floor of 90 or malformed is ignored', () => {
  assert.equal(parseMinSe('30'), null);
  assert.equal(parseMinSe('abc'), null);
  assert.equal(parseMinSe(''), null);
  assert.equal(parseMinSe(undefined), null);
});

test('after a 422 the retry offers the server Min-SE', () => {
  assert.equal(sessionExpiresAfter422('1800', 90), 1800);
});

test('no retry when the 422 asks for what was already offered (it would loop)', () => {
  assert.equal(sessionExpiresAfter422('1800', 1800), null);
  assert.equal(sessionExpiresAfter422(null, 90), null);
});
