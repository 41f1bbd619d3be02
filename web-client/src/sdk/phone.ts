import * as JsSIP from 'jssip';
import { Backoff, type BackoffOptions } from './backoff';
import { Call, type CallContext, type CallOptions } from './call';
import { Emitter } from './emitter';
import { WebcallError } from './errors';
import type { IceGatheringOptions } from './ice-gathering';
import type { QualityThresholds } from './quality';
import { decodeToken, msUntilExpiryWarning, tokenAor, type TokenClaims } from './token';
import type { DtmfTransport } from './dtmf';
import { validateConnectOptions } from './options';
import { withAnswerableChallenges } from './challenge';

/* eslint-disable @typescript-eslint/no-explicit-any */

export interface ConnectOptions {
  /** SIP over WebSocket URL of the edge, e.g. `wss://edge.example.com/sip`. */
  server: string;
  /** Platform access token (JWT). Either this or user + password. */
  token?: string;
  /** SIP user name for digest authentication. */
  user?: string;
  /** SIP password for digest authentication. */
  password?: string;
  /** SIP domain (tenant domain) for digest authentication. */
  domain?: string;
  displayName?: string;
  /**
   * Account service base URL. With a token, `GET {accountUrl}/v1/client-config` supplies the ICE
   * servers (TURN credentials included).
   */
  accountUrl?: string;
  /** ICE servers to use (added to those from the client config). */
  iceServers?: RTCIceServer[];
  /** Bounded candidate gathering (default: at most 500 ms). */
  iceGathering?: IceGatheringOptions;
  /** WebSocket reconnect delays (default 0.5 s doubling up to 30 s, with jitter). */
  reconnect?: BackoffOptions;
  /** Seconds before token expiry at which `token-expiring` fires (default 60). */
  tokenWarningSeconds?: number;
  /** How often call quality is sampled, in ms (default 2000). */
  statsIntervalMs?: number;
  qualityThresholds?: Partial<QualityThresholds>;
  /** Registration lifetime asked for, in seconds (default 600). */
  registerExpires?: number;
  /** Session interval offered (RFC 4028; default 1800 s, never below 90). */
  sessionExpires?: number;
  /** DTMF defaults. */
  dtmf?: { transport?: DtmfTransport; durationMs?: number; gapMs?: number };
  /** Time allowed for connect + register before `connect()` rejects (default 10000 ms). */
  timeoutMs?: number;
  /** Microphone to use (deviceId). */
  microphoneId?: string;
  /** Speaker to use (deviceId). */
  speakerId?: string;
  /** Follow transfers requested by the other party (REFER). Default true. */
  acceptTransfers?: boolean;
  /** Print JsSIP's debug log to the console. */
  debug?: boolean;
}

export type PhoneState = 'connecting' | 'registered' | 'reconnecting' | 'unregistered' | 'disconnected';

export interface PhoneEvents extends Record<string, unknown> {
  state: { state: PhoneState; previous: PhoneState };
  registered: void;
  unregistered: void;
  'registration-failed': { status?: number; cause: string };
  /** The WebSocket dropped; a reconnect attempt follows after `delayMs`. */
  reconnecting: { attempt: number; delayMs: number };
  /** Connected and registered again after a drop; live calls are restarting ICE. */
  reconnected: { attempts: number; downMs: number };
  /** A call is coming in: `call.answer()` or `call.reject()`. */
  incoming: Call;
  /** Any new call, outgoing or incoming. */
  call: Call;
  /** A SIP MESSAGE (RFC 3428) arrived. */
  message: { from: string; body: string; contentType: string };
  /** The access token expires soon: call `updateToken()`. */
  'token-expiring': { expiresAt: Date; secondsLeft: number };
  'token-updated': { expiresAt: Date | null };
}

export interface AudioDevice {
  id: string;
  label: string;
}

export interface PreflightResult {
  rttMs: number | null;
  jitterMs: number;
  /** Loss fraction 0..1 over the test. */
  loss: number;
  mos: number;
  packetsReceived: number;
  /** True when audio came back from the echo service. */
  audioReceived: boolean;
  /** Time from dialing to the echo answering, in ms. */
  setupMs: number;
}

const DEFAULT_SESSION_EXPIRES = 1800;

/** A registered phone. Create one with `await Phone.connect({...})`. */
export class Phone extends Emitter<PhoneEvents> {
  private readonly calls = new Set<Call>();
  private stateValue: PhoneState = 'connecting';
  private claims: TokenClaims | null;
  private tokenTimer: ReturnType<typeof setTimeout> | null = null;
  private iceServers: RTCIceServer[];
  private microphoneId: string | null;
  private speakerId: string | null;
  private readonly backoff: Backoff;
  private attempt = 0;
  private downSince: number | null = null;
  private lostAfterRegistration = false;
  private closing = false;
  private readonly ctx: CallContext;

  private constructor(
    private readonly ua: any,
    private readonly options: ConnectOptions,
    readonly aor: string,
    iceServers: RTCIceServer[],
  ) {
    super();
    this.claims = options.token ? decodeToken(options.token) : null;
    this.iceServers = iceServers;
    this.microphoneId = options.microphoneId ?? null;
    this.speakerId = options.speakerId ?? null;
    this.backoff = new Backoff(options.reconnect);
    const dtmf = options.dtmf ?? {};
    this.ctx = {
      ua,
      pcConfig: () => ({ iceServers: this.iceServers, bundlePolicy: 'balanced', rtcpMuxPolicy: 'require' }),
      mediaConstraints: () => ({
        audio: this.microphoneId ? { deviceId: { exact: this.microphoneId } } : true,
        video: false,
      }),
      iceGathering: options.iceGathering ?? {},
      statsIntervalMs: options.statsIntervalMs ?? 2000,
      qualityThresholds: options.qualityThresholds ?? {},
      dtmf: { transport: dtmf.transport ?? 'auto', durationMs: dtmf.durationMs ?? 100, gapMs: dtmf.gapMs ?? 70 },
      sessionExpires: Math.max(90, options.sessionExpires ?? DEFAULT_SESSION_EXPIRES),
      speakerId: () => this.speakerId,
      isConnected: () => this.ua.isConnected(),
      extraHeaders: () => [],
      acceptTransfers: options.acceptTransfers ?? true,
      adopt: (call) => this.track(call),
      claimed: new WeakSet(),
    };
  }

  /**
   * Connects to the edge and registers. Resolves with the registered phone; rejects with a
   * `WebcallError` (`invalid-option`, `registration-failed`, `connection-failed` or `timeout`).
   */
  static async connect(options: ConnectOptions): Promise<Phone> {
    validateConnectOptions(options);
    const claims = options.token ? decodeToken(options.token) : null;
    const aor = claims ? tokenAor(claims) : `sip:${options.user}@${options.domain}`;
    const iceServers = [...(options.iceServers ?? [])];
    if (options.token && options.accountUrl) iceServers.push(...(await fetchIceServers(options.accountUrl, options.token)));

    if (options.debug) JsSIP.debug.enable('JsSIP:*');
    else JsSIP.debug.disable();
    const socket = withAnswerableChallenges(new JsSIP.WebSocketInterface(options.server) as any);
    const ua: any = new JsSIP.UA({
      sockets: [socket],
      uri: aor,
      display_name: options.displayName,
      register: true,
      register_expires: options.registerExpires ?? 600,
      session_timers: true,
      session_timers_refresh_method: 'UPDATE',
      user_agent: 'webcall-sdk/0.1 (JsSIP 3.13)',
      ...(options.token
        ? { authorization_jwt: `Bearer ${options.token}` }
        : { authorization_user: options.user, password: options.password, realm: options.domain }),
    });
    const phone = new Phone(ua, options, aor, iceServers);
    phone.installReconnectPolicy();
    phone.wireEvents();
    await phone.start(options.timeoutMs ?? 10000);
    phone.scheduleTokenWarning();
    return phone;
  }

  /** Lists microphones and speakers (labels appear once the user has granted microphone access). */
  static async listDevices(): Promise<{ microphones: AudioDevice[]; speakers: AudioDevice[] }> {
    const devices = await navigator.mediaDevices.enumerateDevices();
    const pick = (kind: MediaDeviceKind) =>
      devices.filter((d) => d.kind === kind).map((d, i) => ({ id: d.deviceId, label: d.label || `${kind} ${i + 1}` }));
    return { microphones: pick('audioinput'), speakers: pick('audiooutput') };
  }

  get state(): PhoneState {
    return this.stateValue;
  }
  get isRegistered(): boolean {
    return this.stateValue === 'registered';
  }
  /** Calls that have not ended. */
  get activeCalls(): Call[] {
    return [...this.calls];
  }
  /** Seconds until the access token expires (null without a token or expiry). */
  get tokenSecondsLeft(): number | null {
    const exp = this.claims?.exp;
    return typeof exp === 'number' ? Math.round(exp - Date.now() / 1000) : null;
  }

  /** Places a call to a user name (`bob`), a number or a SIP URI. */
  call(target: string, options: CallOptions = {}): Call {
    if (typeof target !== 'string' || !target.trim()) throw new TypeError('call target must be a non-empty string');
    if (this.stateValue !== 'registered' && this.stateValue !== 'reconnecting') {
      throw new WebcallError('invalid-state', `phone is ${this.stateValue}`);
    }
    const call = new Call(this.ctx, 'outbound', target.trim(), options, null);
    this.track(call);
    return call;
  }

  /** Sends a SIP MESSAGE; resolves when the far end accepted it. */
  sendMessage(target: string, body: string, contentType = 'text/plain'): Promise<void> {
    if (typeof body !== 'string') throw new TypeError('message body must be a string');
    return new Promise((resolve, reject) => {
      this.ua.sendMessage(target, body, {
        contentType,
        eventHandlers: {
          succeeded: () => resolve(),
          failed: (e: any) =>
            reject(new WebcallError('request-failed', `MESSAGE failed: ${e?.cause ?? 'error'}`, e?.response?.status_code)),
        },
      });
    });
  }

  /**
   * Replaces the access token (e.g. after `token-expiring`) and refreshes the registration with it;
   * resolves once the edge accepted the new token (a `registered` event follows), rejects with
   * `registration-failed` if it refused it. Calls in progress are not touched.
   */
  async updateToken(token: string): Promise<void> {
    const claims = decodeToken(token);
    if (tokenAor(claims) !== this.aor) {
      throw new WebcallError('invalid-option', `token is for ${tokenAor(claims)}, this phone is ${this.aor}`);
    }
    this.claims = claims;
    this.ua.set('authorization_jwt', `Bearer ${token}`);
    this.scheduleTokenWarning();
    this.emit('token-updated', { expiresAt: claims.exp ? new Date(claims.exp * 1000) : null });
    if (this.ua.isConnected()) {
      // JsSIP reports `registered` only when a registration begins, and a refresh of a live one is
      // answered silently: marked unregistered for JsSIP, the refresh's 2xx (or failure) is reported.
      const registrator = this.ua.registrator?.();
      if (registrator && typeof registrator._registered === 'boolean') registrator._registered = false;
      const registered = this.waitRegistration(10000);
      this.ua.register();
      await registered;
    }
  }

  /** Chooses the microphone for new calls and switches live calls to it. */
  async setMicrophone(deviceId: string): Promise<void> {
    this.microphoneId = deviceId;
    for (const call of this.calls) {
      if (call.state !== 'active') continue;
      const stream = await navigator.mediaDevices.getUserMedia({ audio: { deviceId: { exact: deviceId } } });
      await call.replaceMicrophone(stream.getAudioTracks()[0]);
    }
  }

  /** Chooses the speaker for remote audio (where the browser supports setSinkId). */
  async setSpeaker(deviceId: string): Promise<void> {
    this.speakerId = deviceId;
    for (const call of this.calls) await call.setSpeaker(deviceId);
  }

  /**
   * Preflight: an echo-test call that measures the network before the user's first real call.
   * Resolves with RTT, jitter, loss and MOS as seen over `durationMs`.
   */
  async preflight(options: { target?: string; durationMs?: number } = {}): Promise<PreflightResult> {
    const started = Date.now();
    const call = this.call(options.target ?? 'echo');
    try {
      await call.answered();
      const setupMs = Date.now() - started;
      await new Promise((r) => setTimeout(r, options.durationMs ?? 3000));
      const sample = await call.collectStats();
      return {
        rttMs: sample?.rttMs ?? null,
        jitterMs: sample?.jitterMs ?? 0,
        loss: sample?.loss ?? 1,
        mos: sample?.mos ?? 1,
        packetsReceived: sample?.totalPacketsReceived ?? 0,
        audioReceived: (sample?.totalPacketsReceived ?? 0) > 0,
        setupMs,
      };
    } finally {
      await call.hangup();
    }
  }

  /** Hangs up every call, unregisters and closes the WebSocket. */
  async disconnect(): Promise<void> {
    this.closing = true;
    if (this.tokenTimer) clearTimeout(this.tokenTimer);
    await Promise.all([...this.calls].map((c) => c.hangup()));
    const stopped = new Promise<void>((resolve) => {
      const t = setTimeout(resolve, 2000);
      this.ua.once('disconnected', () => {
        clearTimeout(t);
        resolve();
      });
    });
    this.ua.stop();
    await stopped;
    this.setState('disconnected');
  }

  private track(call: Call): void {
    this.calls.add(call);
    call.on('ended', () => this.calls.delete(call));
    this.emit('call', call);
  }

  private setState(state: PhoneState): void {
    if (state === this.stateValue) return;
    const previous = this.stateValue;
    this.stateValue = state;
    this.emit('state', { state, previous });
  }

  private start(timeoutMs: number): Promise<void> {
    const registered = this.waitRegistration(timeoutMs);
    this.ua.start();
    return registered.catch((err) => {
      this.closing = true;
      this.ua.stop();
      this.setState('disconnected');
      throw err;
    });
  }

  private waitRegistration(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const cleanup = () => {
        clearTimeout(timer);
        this.ua.removeListener('registered', onOk);
        this.ua.removeListener('registrationFailed', onFail);
      };
      const onOk = () => {
        cleanup();
        resolve();
      };
      const onFail = (e: any) => {
        cleanup();
        const status = e?.response?.status_code;
        const connection = e?.cause === JsSIP.C.causes.CONNECTION_ERROR || e?.cause === JsSIP.C.causes.REQUEST_TIMEOUT;
        reject(
          new WebcallError(
            connection ? 'connection-failed' : 'registration-failed',
            `registration failed: ${e?.cause ?? 'unknown'}${status ? ` (${status})` : ''}`,
            status,
          ),
        );
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new WebcallError('timeout', `not registered within ${timeoutMs} ms (is ${this.options.server} reachable?)`));
      }, timeoutMs);
      this.ua.on('registered', onOk);
      this.ua.on('registrationFailed', onFail);
    });
  }

  /**
   * JsSIP's transport reads its reconnect delay (seconds) from `recovery_options` each time it
   * schedules an attempt. Both bounds answer our backoff's delay for the current attempt, which
   * makes the delay exactly ours (exponential, jittered, sub-second capable).
   */
  private installReconnectPolicy(): void {
    const transport = this.ua._transport;
    if (!transport) return;
    const phone = this;
    let forAttempt = -1;
    let delayMs = 0;
    const current = () => {
      const attempt = Number(transport.recover_attempts) || 1;
      if (attempt !== forAttempt) {
        forAttempt = attempt;
        phone.attempt = attempt;
        delayMs = phone.backoff.delayMs(attempt);
        phone.emit('reconnecting', { attempt, delayMs });
      }
      return delayMs / 1000;
    };
    transport.recovery_options = {
      get min_interval() {
        return current();
      },
      get max_interval() {
        return current();
      },
    };
  }

  private wireEvents(): void {
    const ua = this.ua;
    ua.on('registered', () => {
      this.setState('registered');
      this.emit('registered', undefined);
      if (this.lostAfterRegistration) {
        this.lostAfterRegistration = false;
        const downMs = this.downSince ? Date.now() - this.downSince : 0;
        this.downSince = null;
        this.emit('reconnected', { attempts: this.attempt, downMs });
        for (const call of this.calls) void call.restartIce('signaling reconnected').catch(() => {});
      }
    });
    ua.on('unregistered', () => {
      if (!this.closing && this.stateValue !== 'reconnecting') this.setState('unregistered');
      this.emit('unregistered', undefined);
    });
    ua.on('registrationFailed', (e: any) => {
      this.emit('registration-failed', { status: e?.response?.status_code, cause: String(e?.cause ?? 'unknown') });
    });
    ua.on('disconnected', () => {
      if (this.closing) return;
      if (this.stateValue === 'registered' || this.stateValue === 'unregistered') {
        this.lostAfterRegistration = true;
        this.downSince = Date.now();
        this.setState('reconnecting');
      }
    });
    ua.on('newRTCSession', (e: any) => {
      if (e.originator !== 'remote' || this.ctx.claimed.has(e.session)) return;
      const call = new Call(this.ctx, 'inbound', String(e.session.remote_identity?.uri ?? ''), {}, e.session);
      this.track(call);
      this.emit('incoming', call);
    });
    ua.on('newMessage', (e: any) => {
      if (e.originator !== 'remote') return;
      const req = e.request;
      this.emit('message', {
        from: String(e.message?.remote_identity?.uri ?? req?.from?.uri ?? ''),
        body: String(req?.body ?? ''),
        contentType: String(req?.getHeader?.('Content-Type') ?? 'text/plain'),
      });
    });
    if (typeof window !== 'undefined') {
      // A new network (Wi-Fi -> cellular, VPN up): the old candidates are useless; restart ICE.
      const onNetworkChange = () => {
        if (!this.ua.isConnected()) return;
        for (const call of this.calls) void call.restartIce('network change').catch(() => {});
      };
      window.addEventListener('online', onNetworkChange);
      (navigator as any).connection?.addEventListener?.('change', onNetworkChange);
    }
  }

  private scheduleTokenWarning(): void {
    if (this.tokenTimer) clearTimeout(this.tokenTimer);
    this.tokenTimer = null;
    if (!this.claims) return;
    const warnBefore = this.options.tokenWarningSeconds ?? 60;
    const wait = msUntilExpiryWarning(this.claims, Date.now(), warnBefore);
    if (wait === null) return;
    const exp = this.claims.exp as number;
    this.tokenTimer = setTimeout(() => {
      this.emit('token-expiring', { expiresAt: new Date(exp * 1000), secondsLeft: Math.max(0, Math.round(exp - Date.now() / 1000)) });
    }, Math.min(wait, 2 ** 31 - 1));
  }
}

/** Reads the ICE servers (with TURN credentials) from the account service's client config. */
async function fetchIceServers(accountUrl: string, token: string): Promise<RTCIceServer[]> {
  const url = `${accountUrl.replace(/\/+$/, '')}/v1/client-config`;
  let response: Response;
  try {
    response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
  } catch (err) {
    throw new WebcallError('connection-failed', `client config not reachable at ${url}: ${(err as Error).message}`);
  }
  if (!response.ok) throw new WebcallError('connection-failed', `client config answered ${response.status}`, response.status);
  const body = (await response.json()) as { iceServers?: RTCIceServer[] };
  return Array.isArray(body.iceServers) ? body.iceServers : [];
}
