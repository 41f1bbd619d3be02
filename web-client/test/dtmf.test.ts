import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseDtmfTransport, dtmfDurationMs, normalizeDigits } from '../src/sdk/dtmf';

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
