// The account service's REST API as the cases use it: the demo tenant's API key and access tokens.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACCOUNT, DOMAIN } from './stack.mjs';

/** A JSON request with a bearer credential; fails the test with the response body on a non-2xx status. */
export async function json(url, { key, method = 'GET', body } = {}) {
  const res = await fetch(url, {
    method,
    headers: { Authorization: `Bearer ${key}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  assert.ok(res.ok, `${method} ${url}: HTTP ${res.status} ${text}`);
  return JSON.parse(text);
}

/** A tenant API key for the demo tenant, created through the operator API. */
export async function demoTenantKey(stack) {
  const admin = readFileSync(join(stack.dataDir, 'admin-api-key'), 'utf8').trim();
  const [tenant] = await json(`${ACCOUNT}/v1/tenants?domain=${DOMAIN}`, { key: admin });
  assert.ok(tenant?.id, 'the demo tenant exists');
  const created = await json(`${ACCOUNT}/v1/tenants/${tenant.id}/api-keys`, { key: admin, method: 'POST', body: { name: 'e2e' } });
  return created.key;
}

/** A fresh access token (JWT) for `username` of the demo tenant. */
export async function accessToken(key, username) {
  const { token } = await json(`${ACCOUNT}/v1/tokens`, { key, method: 'POST', body: { username } });
  return token;
}
