import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isMd5Digest, preferAnswerableChallenge, withAnswerableChallenges } from '../src/sdk/challenge';

const response = (...challenges: string[]) =>
  ['SIP/2.0 401 Unauthorized', 'Via: SIP/2.0/WS x.invalid;branch=z9hG4bK1', 'CSeq: 1 REGISTER',
    ...challenges.map((c) => `WWW-Authenticate: ${c}`), 'Content-Length: 0', '', ''].join('\r\n');

const sha = 'Digest realm="demo.localhost", nonce="a", algorithm=SHA-256, qop="auth"';
const md5 = 'Digest realm="demo.localhost", nonce="b", algorithm=MD5, qop="auth"';
const bearer = 'Bearer realm="demo.localhost"';

const challengesOf = (msg: string) => msg.split('\r\n').filter((l) => /^(WWW|Proxy)-Authenticate/.test(l));

test('of several challenges only the MD5 Digest one is kept, wherever it was listed', () => {
  for (const order of [[sha, md5, bearer], [md5, sha, bearer], [bearer, sha, md5]]) {
    const out = preferAnswerableChallenge(response(...order));
    assert.deepEqual(challengesOf(out), [`WWW-Authenticate: ${md5}`], order.join(' | '));
    assert.ok(out.startsWith('SIP/2.0 401 Unauthorized\r\nVia:'), 'other header fields are kept');
    assert.ok(out.endsWith('CSeq: 1 REGISTER\r\n' + `WWW-Authenticate: ${md5}` + '\r\nContent-Length: 0\r\n\r\n'));
  }
});

test('a single challenge, or several without an MD5 offer, is left alone', () => {
  assert.equal(preferAnswerableChallenge(response(md5)), response(md5));
  assert.equal(preferAnswerableChallenge(response(sha, bearer)), response(sha, bearer));
});

test('407 Proxy-Authenticate challenges are reduced the same way', () => {
  const msg = ['SIP/2.0 407 Proxy Authentication Required', `Proxy-Authenticate: ${sha}`, `Proxy-Authenticate: ${md5}`, '', ''].join('\r\n');
  assert.deepEqual(challengesOf(preferAnswerableChallenge(msg)), [`Proxy-Authenticate: ${md5}`]);
});

test('requests and other responses pass through untouched', () => {
  const invite = `INVITE sip:bob@x SIP/2.0\r\nWWW-Authenticate: ${sha}\r\nWWW-Authenticate: ${md5}\r\n\r\n`;
  assert.equal(preferAnswerableChallenge(invite), invite);
  const ok = `SIP/2.0 200 OK\r\nCSeq: 1 REGISTER\r\n\r\n`;
  assert.equal(preferAnswerableChallenge(ok), ok);
});

test('a Digest challenge without algorithm counts as MD5', () => {
  assert.ok(isMd5Digest('Digest realm="x", nonce="y"'));
  assert.ok(isMd5Digest('digest realm="x", algorithm="md5"'));
  assert.ok(!isMd5Digest('Digest realm="x", algorithm=SHA-256'));
  assert.ok(!isMd5Digest(bearer));
});

test('a wrapped socket hands the reduced challenge to whatever handler the SIP stack installs as ondata', () => {
  const socket = withAnswerableChallenges({ ondata: null as unknown, emit(d: string) { (this.ondata as (d: string) => void)(d); } });
  const seen: string[] = [];
  socket.ondata = (d: string) => seen.push(d);
  socket.emit(response(sha, md5));
  assert.deepEqual(challengesOf(seen[0]), [`WWW-Authenticate: ${md5}`]);
});
