import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateConnectOptions } from '../src/sdk/options';
import type { ConnectOptions } from '../src/sdk/phone';

const jwt = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2ln';
const ok: ConnectOptions = { server: 'ws://127.0.0.1:8080/sip', user: 'alice', password: 'demo', domain: 'demo.localhost' };

test('valid password and token options pass', () => {
  validateConnectOptions(ok);
  validateConnectOptions({ server: 'wss://edge.example.com/sip', token: jwt, accountUrl: 'https://api.example.com' });
});

const rejects = (options: unknown, field: RegExp) =>
  assert.throws(() => validateConnectOptions(options as ConnectOptions), (e: Error & { code?: string }) => {
    assert.equal(e.code, 'invalid-option');
    assert.match(e.message, field);
    return true;
  });

test('each bad option is refused with its field named', () => {
  rejects({ ...ok, server: 'http://x/sip' }, /^server:/);
  rejects({ server: ok.server }, /^token:.*required/);
  rejects({ ...ok, token: jwt }, /^token:.*not both/);
  rejects({ server: ok.server, token: 'nope' }, /^token:.*JWT/);
  rejects({ ...ok, user: 'al ice' }, /^user:/);
  rejects({ ...ok, password: '' }, /^password:/);
  rejects({ ...ok, domain: undefined }, /^domain:/);
  rejects({ ...ok, accountUrl: 'ftp://x' }, /^accountUrl:/);
  rejects({ ...ok, sessionExpires: 30 }, /^sessionExpires:.*90/);
  rejects({ ...ok, timeoutMs: -1 }, /^timeoutMs:/);
  rejects({ ...ok, iceGathering: { maxWaitMs: 0 } }, /^iceGathering.maxWaitMs:/);
  rejects({ ...ok, dtmf: { transport: 'sms' } }, /^dtmf.transport:/);
  rejects(null, /^options:/);
});
