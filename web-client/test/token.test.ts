import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeToken, msUntilExpiryWarning, tokenAor } from '../src/sdk/token';

const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const jwt = (claims: unknown) => `${b64url({ alg: 'ES256', kid: 'k1' })}.${b64url(claims)}.c2ln`;

test('claims are read from the token payload, including non-ASCII display data', () => {
  const claims = decodeToken(jwt({ sub: 'alice', domain: 'demo.localhost', exp: 2000, name: 'Zoë' }));
  assert.equal(claims.sub, 'alice');
  assert.equal(claims.exp, 2000);
  assert.equal(claims.name, 'Zoë');
});

test('malformed tokens are refused with a message saying what is wrong', () => {
  assert.throws(() => decodeToken('abc'), /three dot-separated parts/);
  assert.throws(() => decodeToken('a.%%%.c'), /base64url-encoded JSON/);
  assert.throws(() => decodeToken(jwt({ domain: 'x' })), /"sub"/);
});

test('the address of record is the aor claim, else user@domain', () => {
  assert.equal(tokenAor({ sub: 'alice', aor: 'sip:alice@demo.localhost' }), 'sip:alice@demo.localhost');
  assert.equal(tokenAor({ sub: 'bob', domain: 'acme.example' }), 'sip:bob@acme.example');
  assert.throws(() => tokenAor({ sub: 'bob' }), /neither "aor" nor "domain"/);
});

test('the expiry warning is due the configured time before exp', () => {
  const claims = { sub: 'a', exp: 1000 };
  assert.equal(msUntilExpiryWarning(claims, 800_000, 60), 140_000);
  assert.equal(msUntilExpiryWarning(claims, 990_000, 60), 0, 'already inside the warning window');
  assert.equal(msUntilExpiryWarning({ sub: 'a' }, 0, 60), null);
});
