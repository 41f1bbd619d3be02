import { WebcallError } from './errors';
import type { ConnectOptions } from './phone';

function invalid(field: string, message: string): never {
  throw new WebcallError('invalid-option', `${field}: ${message}`);
}

/** Checks `Phone.connect` options up front so a typo fails with a message naming the field. */
export function validateConnectOptions(options: ConnectOptions): void {
  if (!options || typeof options !== 'object') invalid('options', 'an object is required');
  if (typeof options.server !== 'string' || !/^wss?:\/\/[^/\s]+/i.test(options.server)) {
    invalid('server', 'must be a ws:// or wss:// URL, e.g. wss://edge.example.com/sip');
  }
  const hasToken = options.token !== undefined;
  const hasPassword = options.user !== undefined || options.password !== undefined;
  if (hasToken && hasPassword) invalid('token', 'give either a token or user + password, not both');
  if (!hasToken && !hasPassword) invalid('token', 'a token or user + password + domain is required');
  if (hasToken && (typeof options.token !== 'string' || options.token.split('.').length !== 3)) {
    invalid('token', 'must be a JWT access token');
  }
  if (!hasToken) {
    if (typeof options.user !== 'string' || !/^[A-Za-z0-9._~+-]+$/.test(options.user)) invalid('user', 'must be a SIP user name');
    if (typeof options.password !== 'string' || options.password.length === 0) invalid('password', 'must be a non-empty string');
    if (typeof options.domain !== 'string' || !/^[A-Za-z0-9.-]+$/.test(options.domain)) invalid('domain', 'must be a SIP domain, e.g. demo.localhost');
  }
  if (options.accountUrl !== undefined && !/^https?:\/\//i.test(String(options.accountUrl))) {
    invalid('accountUrl', 'must be an http(s) URL');
  }
  const positive = (field: keyof ConnectOptions) => {
    const v = options[field];
    if (v !== undefined && !(typeof v === 'number' && v > 0 && Number.isFinite(v))) invalid(field, 'must be a positive number');
  };
  positive('tokenWarningSeconds');
  positive('statsIntervalMs');
  positive('registerExpires');
  positive('sessionExpires');
  positive('timeoutMs');
  if (options.sessionExpires !== undefined && options.sessionExpires < 90) invalid('sessionExpires', 'must be at least 90 (RFC 4028)');
  const gathering = options.iceGathering;
  if (gathering?.maxWaitMs !== undefined && !(gathering.maxWaitMs > 0)) invalid('iceGathering.maxWaitMs', 'must be a positive number');
  const transport = options.dtmf?.transport;
  if (transport !== undefined && !['auto', 'rfc4733', 'info'].includes(transport)) invalid('dtmf.transport', 'must be auto, rfc4733 or info');
}
