import { Emitter } from './emitter';
import { WebcallError } from './errors';
import { IceGatheringPolicy, iceServerKinds, type IceGatheringOptions } from './ice-gathering';
import { QualityWarnings, StatsSampler, type QualitySample, type QualityThresholds, type QualityWarning } from './quality';
import { sessionExpiresAfter422 } from './session-timer';
import { normalizeDigits, sendDtmf, type DtmfTransport } from './dtmf';
import { sendRefer } from './transfer';

/* eslint-disable @typescript-eslint/no-explicit-any */
/** JsSIP's RTCSession, used through this narrow view. */
type Session = any;

export type CallState = 'connecting' | 'ringing' | 'answering' | 'active' | 'ended';
export type CallDirection = 'outbound' | 'inbound';

export interface CallEndInfo {
  /** Who ended it: `local` (this phone), `remote` (the other party) or `system` (network, timeouts). */
  by: 'local' | 'remote' | 'system';
  /** JsSIP cause text, e.g. "Terminated", "Busy", "Rejected", "Canceled". */
  cause: string;
  /** SIP status code of the final response when the call failed before being answered. */
  status?: number;
}

export interface CallEvents extends Record<string, unknown> {
  state: { state: CallState; previous: CallState };
  ringing: { early: boolean };
  active: void;
  ended: CallEndInfo;
  hold: { local: boolean; remote: boolean };
  resume: { local: boolean; remote: boolean };
  mute: void;
  unmute: void;
  /** A DTMF digit received from the other party (SIP INFO). */
  dtmf: { digit: string };
  quality: QualitySample;
  warning: { warning: QualityWarning; sample: QualitySample };
  'warning-cleared': { warning: QualityWarning; sample: QualitySample };
  /** Media path being re-established (ICE restart after a network change or reconnect). */
  reconnecting: { reason: string };
  reconnected: void;
  /** The call was re-sent with a larger session interval after a 422 (RFC 4028). */
  retry: { status: number; sessionExpires: number };
  /** Progress of a transfer this call requested (sipfrag status from NOTIFY). */
  'transfer-progress': { status: number; final: boolean };
  'ice-ready': { reason: string; candidates: number; ms: number };
  /** The other party transferred this phone (REFER, RFC 3515): `call` is the new call to `target`. */
  transferred: { target: string; call: Call };
  /** An attended transfer replaces this call (INVITE with Replaces, RFC 3891) by `call`, already being answered. */
  replaced: { call: Call };
  'remote-stream': MediaStream;
}

/** What a Call needs from its Phone. */
export interface CallContext {
  ua: any;
  pcConfig: () => RTCConfiguration;
  mediaConstraints: () => MediaStreamConstraints;
  iceGathering: IceGatheringOptions;
  statsIntervalMs: number;
  qualityThresholds: Partial<QualityThresholds>;
  dtmf: { transport: DtmfTransport; durationMs: number; gapMs: number };
  sessionExpires: number;
  speakerId: () => string | null;
  isConnected: () => boolean;
  extraHeaders: () => string[];
  /** Whether a REFER from the other party is followed (blind or attended transfer of this phone). */
  acceptTransfers: boolean;
  /** Hands a call this phone started on its own (a followed transfer) to the phone. */
  adopt: (call: Call) => void;
  /** Sessions already wrapped by a Call, so the phone does not announce them as new incoming calls. */
  claimed: WeakSet<object>;
}

export interface CallOptions {
  /** Extra SIP headers for the INVITE ("Name: value"). */
  extraHeaders?: string[];
  /** Audio element to play the remote party into (default: an element the SDK creates). */
  audioElement?: HTMLAudioElement;
  /** Use this microphone stream instead of asking getUserMedia. */
  mediaStream?: MediaStream;
}

let nextId = 1;

/** One call, outgoing or incoming. Create with `phone.call()`; incoming ones arrive as `incoming` events. */
export class Call extends Emitter<CallEvents> {
  readonly id = `call-${nextId++}`;
  private sessionRef: Session;
  private stateValue: CallState;
  private startedAt: number | null = null;
  private endInfo: CallEndInfo | null = null;
  private heldLocal = false;
  private heldRemote = false;
  private mutedValue = false;
  private statsTimer: ReturnType<typeof setInterval> | null = null;
  private readonly sampler = new StatsSampler();
  private readonly warnings: QualityWarnings;
  private lastSample: QualitySample | null = null;
  private audio: HTMLAudioElement | null;
  private remote: MediaStream | null = null;
  private retries = 0;
  private iceRestartTimer: ReturnType<typeof setTimeout> | null = null;
  private restarting = false;
  private offerQueue: Promise<void> = Promise.resolve();
  private readonly endedPromise: Promise<CallEndInfo>;
  private resolveEnded!: (info: CallEndInfo) => void;

  /** @internal */
  constructor(
    private readonly ctx: CallContext,
    readonly direction: CallDirection,
    readonly target: string,
    private readonly options: CallOptions,
    session: Session | null,
  ) {
    super();
    this.warnings = new QualityWarnings(ctx.qualityThresholds);
    this.audio = options.audioElement ?? null;
    this.stateValue = direction === 'inbound' ? 'ringing' : 'connecting';
    this.endedPromise = new Promise((resolve) => (this.resolveEnded = resolve));
    if (session) {
      this.sessionRef = session;
      this.bind(session);
    } else {
      this.sessionRef = this.dial(ctx.sessionExpires);
    }
  }

  /** Current state. */
  get state(): CallState {
    return this.stateValue;
  }
  /** The other party's SIP URI. */
  get remoteUri(): string {
    return String(this.sessionRef?.remote_identity?.uri ?? this.target);
  }
  /** The other party's display name, when it sent one. */
  get remoteName(): string | null {
    return this.sessionRef?.remote_identity?.display_name || null;
  }
  /** SIP Call-ID of the current dialog. */
  get callId(): string | null {
    return this.sessionRef?._request?.call_id ?? this.sessionRef?.id ?? null;
  }
  get onHold(): boolean {
    return this.heldLocal;
  }
  get heldByRemote(): boolean {
    return this.heldRemote;
  }
  get muted(): boolean {
    return this.mutedValue;
  }
  /** Milliseconds since the call was answered (0 before that). */
  get durationMs(): number {
    return this.startedAt === null ? 0 : Date.now() - this.startedAt;
  }
  /** The latest quality sample, once the call has been active for one stats interval. */
  get quality(): QualitySample | null {
    return this.lastSample;
  }
  get activeWarnings(): QualityWarning[] {
    return this.warnings.current;
  }
  get remoteStream(): MediaStream | null {
    return this.remote;
  }
  /** The underlying RTCPeerConnection (for advanced use, e.g. getStats). */
  get peerConnection(): RTCPeerConnection | null {
    return this.sessionRef?.connection ?? null;
  }
  /** Resolves when the call ends, with who ended it and why. */
  ended(): Promise<CallEndInfo> {
    return this.endedPromise;
  }
  /** Resolves when the call is answered; rejects if it ends first. */
  answered(): Promise<void> {
    if (this.stateValue === 'active') return Promise.resolve();
    if (this.stateValue === 'ended') return Promise.reject(this.failure());
    return new Promise((resolve, reject) => {
      const offActive = this.once('active', () => {
        offEnded();
        resolve();
      });
      const offEnded = this.once('ended', () => {
        offActive();
        reject(this.failure());
      });
    });
  }

  /** Answers an incoming call. */
  answer(): Promise<void> {
    if (this.direction !== 'inbound' || this.stateValue !== 'ringing') {
      return Promise.reject(new WebcallError('invalid-state', `cannot answer a call in state ${this.stateValue}`));
    }
    this.setState('answering');
    try {
      this.sessionRef.answer({
        mediaConstraints: this.options.mediaStream ? undefined : this.ctx.mediaConstraints(),
        mediaStream: this.options.mediaStream,
        pcConfig: this.ctx.pcConfig(),
        sessionTimersExpires: this.ctx.sessionExpires,
        extraHeaders: this.ctx.extraHeaders(),
      });
    } catch (err) {
      return Promise.reject(new WebcallError('invalid-state', `answer failed: ${(err as Error).message}`));
    }
    return this.answered();
  }

  /** Rejects an incoming call (default 486 Busy Here; 603 Decline is the other usual choice). */
  reject(status = 486): void {
    if (this.direction !== 'inbound' || this.stateValue !== 'ringing') {
      throw new WebcallError('invalid-state', `cannot reject a call in state ${this.stateValue}`);
    }
    if (!(status >= 300 && status < 700)) throw new TypeError('reject status must be 300-699');
    this.sessionRef.terminate({ status_code: status });
  }

  /** Ends the call whatever its state (cancels, rejects or hangs up as fits). Idempotent. */
  hangup(): Promise<CallEndInfo> {
    if (this.stateValue !== 'ended') {
      try {
        this.sessionRef.terminate();
      } catch {
        /* already terminated by the stack */
      }
    }
    return this.endedPromise;
  }

  /** Puts the other party on hold (re-INVITE with a=sendonly, RFC 3264 section 8.4). */
  hold(): Promise<void> {
    return this.holdChange(true);
  }
  /** Takes the call off hold. */
  resume(): Promise<void> {
    return this.holdChange(false);
  }

  private holdChange(hold: boolean): Promise<void> {
    this.requireActive();
    return this.serialize(() => {
      if (this.stateValue !== 'active' || this.heldLocal === hold) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        // a failed re-INVITE ends the call (JsSIP terminates it): settle instead of hanging
        const offEnded = this.once('ended', () => reject(new WebcallError('call-failed', 'call ended during the re-INVITE')));
        const done = () => {
          offEnded();
          resolve();
        };
        const ok = hold ? this.sessionRef.hold({}, done) : this.sessionRef.unhold({}, done);
        if (!ok) {
          offEnded();
          reject(new WebcallError('invalid-state', `cannot ${hold ? 'hold' : 'resume'} right now`));
        }
      });
    });
  }

  /**
   * Offer/answer exchanges must not overlap (RFC 3261 section 14.1: a UA must not start a
   * re-INVITE while another is in progress), so hold, resume and ICE restarts run one after another.
   */
  private serialize<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.offerQueue.then(operation, operation);
    this.offerQueue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** Stops sending microphone audio (the track is disabled; no re-INVITE). */
  mute(): void {
    this.requireActive();
    this.sessionRef.mute({ audio: true });
  }
  unmute(): void {
    this.requireActive();
    this.sessionRef.unmute({ audio: true });
  }

  /**
   * Sends DTMF digits: RFC 4733 telephone-events on the audio RTP stream when negotiated,
   * else SIP INFO. Resolves once all tones have been sent.
   */
  sendDigits(digits: string | number, options: { transport?: DtmfTransport; durationMs?: number; gapMs?: number } = {}): Promise<void> {
    this.requireActive();
    const tones = normalizeDigits(digits);
    const durationMs = options.durationMs ?? this.ctx.dtmf.durationMs;
    const gapMs = options.gapMs ?? this.ctx.dtmf.gapMs;
    return sendDtmf(this.peerConnection, this.sessionRef, tones, options.transport ?? this.ctx.dtmf.transport, durationMs, gapMs);
  }

  /**
   * Blind transfer (RFC 3515 REFER): asks the other party to call `target`. Resolves with the
   * final sipfrag status once the transferee reports success; this call is then hung up.
   */
  transfer(target: string, options: { hangupOnSuccess?: boolean } = {}): Promise<number> {
    return this.refer(target, undefined, options.hangupOnSuccess ?? true);
  }

  /**
   * Attended transfer: `consultation` is an active call with the transfer target; the other party
   * of this call is asked to call it with `Replaces` (RFC 3891), which takes over that call.
   */
  attendedTransfer(consultation: Call, options: { hangupOnSuccess?: boolean } = {}): Promise<number> {
    if (consultation === this || consultation.state !== 'active') {
      return Promise.reject(new WebcallError('invalid-state', 'attended transfer needs a second, active call'));
    }
    return this.refer(consultation.remoteUri, consultation.sessionRef, options.hangupOnSuccess ?? true);
  }

  private refer(target: string, replaces: Session | undefined, hangup: boolean): Promise<number> {
    this.requireActive();
    return sendRefer(this.sessionRef, target, replaces, (status, final) => this.emit('transfer-progress', { status, final })).then((status) => {
      if (hangup) void this.hangup();
      return status;
    });
  }

  /**
   * Restarts ICE with a re-INVITE (RFC 8839 section 4.4.1.1.1) so media survives a network change
   * or a signaling reconnect. Resolves when the media path is connected again.
   */
  restartIce(reason = 'network change'): Promise<void> {
    if (this.stateValue !== 'active') return Promise.resolve();
    if (this.restarting) return this.next('reconnected');
    this.restarting = true;
    this.emit('reconnecting', { reason });
    return this.serialize(
      () =>
        new Promise<void>((resolve, reject) => {
          const fail = (err: WebcallError) => {
            offEnded();
            this.restarting = false;
            reject(err);
          };
          const offEnded = this.once('ended', () => fail(new WebcallError('call-failed', 'call ended during the ICE restart')));
          if (this.stateValue !== 'active') return fail(new WebcallError('invalid-state', 'call ended before the ICE restart'));
          const ok = this.sessionRef.renegotiate({ rtcOfferConstraints: { iceRestart: true } }, () => {
            this.waitIceConnected().then(() => {
              offEnded();
              this.restarting = false;
              this.emit('reconnected', undefined);
              resolve();
            });
          });
          if (!ok) fail(new WebcallError('invalid-state', 'ICE restart not possible right now'));
        }),
    );
  }

  /** Replaces the microphone track on the live call (device switch without renegotiation). */
  async replaceMicrophone(track: MediaStreamTrack): Promise<void> {
    const sender = this.peerConnection?.getSenders().find((s) => s.track?.kind === 'audio');
    if (!sender) return;
    const old = sender.track;
    await sender.replaceTrack(track);
    if (this.mutedValue) track.enabled = false;
    old?.stop();
  }

  /** Routes the remote audio to the given speaker. */
  async setSpeaker(deviceId: string): Promise<void> {
    const el = this.audio as (HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> }) | null;
    if (el?.setSinkId) await el.setSinkId(deviceId);
  }

  private waitIceConnected(): Promise<void> {
    const pc = this.peerConnection;
    const ok = () => !pc || pc.iceConnectionState === 'connected' || pc.iceConnectionState === 'completed';
    if (ok()) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (ok()) {
          pc!.removeEventListener('iceconnectionstatechange', check);
          resolve();
        }
      };
      pc!.addEventListener('iceconnectionstatechange', check);
    });
  }

  private requireActive(): void {
    if (this.stateValue !== 'active') throw new WebcallError('invalid-state', `call is ${this.stateValue}, not active`);
  }

  private failure(): WebcallError {
    const info = this.endInfo;
    return new WebcallError('call-failed', `call ended: ${info?.cause ?? 'unknown'}`, info?.status);
  }

  private setState(state: CallState): void {
    if (state === this.stateValue) return;
    const previous = this.stateValue;
    this.stateValue = state;
    this.emit('state', { state, previous });
  }

  private dial(sessionExpires: number): Session {
    return this.ctx.ua.call(this.target, {
      mediaConstraints: this.options.mediaStream ? undefined : this.ctx.mediaConstraints(),
      mediaStream: this.options.mediaStream,
      pcConfig: this.ctx.pcConfig(),
      sessionTimersExpires: sessionExpires,
      extraHeaders: [...this.ctx.extraHeaders(), ...(this.options.extraHeaders ?? [])],
      eventHandlers: this.handlers(sessionExpires),
    });
  }

  /** Listeners for an incoming session (outgoing ones get them through `eventHandlers`). */
  private bind(session: Session): void {
    const handlers = this.handlers(this.ctx.sessionExpires);
    for (const [name, fn] of Object.entries(handlers)) session.on(name, fn);
    // an outgoing session handed over after creation already has its peer connection
    if (session.connection) handlers.peerconnection({ peerconnection: session.connection });
  }

  /**
   * An INVITE with Replaces (RFC 3891) for this call: the transferee of an attended transfer takes
   * it over. The new call is answered at once; JsSIP ends this one when the new one is confirmed.
   */
  private onReplaces(e: any): void {
    if (!this.ctx.acceptTransfers) {
      e.reject();
      return;
    }
    e.accept((session: Session) => {
      this.ctx.claimed.add(session);
      const call = new Call(this.ctx, 'inbound', String(session.remote_identity?.uri ?? ''), {}, session);
      this.ctx.adopt(call);
      this.emit('replaced', { call });
      setTimeout(() => void call.answer().catch(() => {}), 0);
    });
  }

  /**
   * The other party asks this phone to call someone else (RFC 3515; with Replaces inside the
   * Refer-To for an attended transfer, RFC 3891). JsSIP has already answered 202; following it
   * starts a new call whose progress JsSIP reports back in NOTIFYs.
   */
  private onRefer(e: any): void {
    const target = String(e.request?.refer_to?.uri ?? '');
    if (!this.ctx.acceptTransfers || !target) {
      e.reject();
      return;
    }
    e.accept(
      (session: Session) => {
        const call = new Call(this.ctx, 'outbound', target, {}, session);
        this.ctx.adopt(call);
        this.emit('transferred', { target, call });
      },
      {
        mediaConstraints: this.ctx.mediaConstraints(),
        pcConfig: this.ctx.pcConfig(),
        sessionTimersExpires: this.ctx.sessionExpires,
        extraHeaders: this.ctx.extraHeaders(),
      },
    );
  }

  private handlers(sessionExpires: number): Record<string, (e: any) => void> {
    let gathering: IceGatheringPolicy | null = null;
    let gatherStart = 0;
    const policy = () => {
      if (!gathering) {
        gatherStart = Date.now();
        gathering = new IceGatheringPolicy(iceServerKinds(this.ctx.pcConfig().iceServers as any), this.ctx.iceGathering, undefined, (reason, candidates) =>
          this.emit('ice-ready', { reason, candidates, ms: Date.now() - gatherStart }),
        );
      }
      return gathering;
    };
    return {
      peerconnection: (e: any) => this.attachPeerConnection(e.peerconnection, () => {
        gathering = null;
        return policy();
      }),
      icecandidate: (e: any) => policy().candidate(e.candidate, e.ready),
      sdp: () => {
        gathering = null;
      },
      progress: (e: any) => {
        if (this.direction === 'outbound') {
          this.setState('ringing');
          this.emit('ringing', { early: !!e?.response?.body });
        }
      },
      accepted: () => this.becomeActive(),
      confirmed: () => this.becomeActive(),
      hold: (e: any) => {
        if (e.originator === 'local') this.heldLocal = true;
        else this.heldRemote = true;
        this.emit('hold', { local: this.heldLocal, remote: this.heldRemote });
      },
      unhold: (e: any) => {
        if (e.originator === 'local') this.heldLocal = false;
        else this.heldRemote = false;
        this.emit('resume', { local: this.heldLocal, remote: this.heldRemote });
      },
      muted: () => {
        this.mutedValue = true;
        this.emit('mute', undefined);
      },
      unmuted: () => {
        this.mutedValue = false;
        this.emit('unmute', undefined);
      },
      refer: (e: any) => this.onRefer(e),
      replaces: (e: any) => this.onReplaces(e),
      newDTMF: (e: any) => {
        if (e.originator === 'remote') this.emit('dtmf', { digit: String(e.dtmf?.tone ?? '') });
      },
      ended: (e: any) => this.finish({ by: e.originator, cause: String(e.cause ?? 'Terminated') }),
      failed: (e: any) => {
        const status = e?.message?.status_code as number | undefined;
        if (e.originator === 'remote' && status === 422 && this.direction === 'outbound' && this.retries < 2) {
          const next = sessionExpiresAfter422(e.message.getHeader?.('Min-SE'), sessionExpires);
          if (next !== null) {
            this.retries++;
            this.emit('retry', { status, sessionExpires: next });
            this.sessionRef = this.dial(next);
            return;
          }
        }
        this.finish({ by: e.originator, cause: String(e.cause ?? 'Failed'), status });
      },
    };
  }

  private attachPeerConnection(pc: RTCPeerConnection, newPolicy: () => IceGatheringPolicy): void {
    pc.addEventListener('icegatheringstatechange', () => {
      if (pc.iceGatheringState === 'gathering') newPolicy().start();
    });
    pc.addEventListener('track', (event) => {
      const stream = event.streams[0] ?? new MediaStream([event.track]);
      this.remote = stream;
      this.playRemote(stream);
      this.emit('remote-stream', stream);
    });
    pc.addEventListener('iceconnectionstatechange', () => {
      const state = pc.iceConnectionState;
      if (this.iceRestartTimer) {
        clearTimeout(this.iceRestartTimer);
        this.iceRestartTimer = null;
      }
      if (this.stateValue !== 'active' || this.restarting) return;
      // "disconnected" often heals by itself within a couple of seconds; "failed" never does.
      if (state === 'failed') void this.restartIceWhenPossible('ICE failed');
      else if (state === 'disconnected') {
        this.iceRestartTimer = setTimeout(() => void this.restartIceWhenPossible('ICE disconnected'), 2500);
      }
    });
  }

  private async restartIceWhenPossible(reason: string): Promise<void> {
    if (!this.ctx.isConnected()) return; // the phone restarts ICE itself once signaling is back
    try {
      await this.restartIce(reason);
    } catch {
      /* reported through the call's state if the re-INVITE fails */
    }
  }

  private playRemote(stream: MediaStream): void {
    if (typeof document === 'undefined') return;
    if (!this.audio) {
      this.audio = document.createElement('audio');
      this.audio.autoplay = true;
    }
    this.audio.srcObject = stream;
    const speaker = this.ctx.speakerId();
    if (speaker) void this.setSpeaker(speaker).catch(() => {});
    void this.audio.play?.().catch(() => {});
  }

  private becomeActive(): void {
    if (this.stateValue === 'active' || this.stateValue === 'ended') return;
    this.startedAt = Date.now();
    this.setState('active');
    this.emit('active', undefined);
    this.statsTimer = setInterval(() => void this.collectStats(), this.ctx.statsIntervalMs);
  }

  /** Takes one quality sample now (also runs every `statsIntervalMs` while active). */
  async collectStats(): Promise<QualitySample | null> {
    const pc = this.peerConnection;
    if (!pc || this.stateValue !== 'active') return null;
    const report = await pc.getStats();
    const sample = this.sampler.sample(report as any);
    this.lastSample = sample;
    this.emit('quality', sample);
    for (const change of this.warnings.update(sample, this.mutedValue, this.heldLocal || this.heldRemote)) {
      this.emit(change.active ? 'warning' : 'warning-cleared', { warning: change.warning, sample });
    }
    return sample;
  }

  private finish(info: CallEndInfo): void {
    if (this.stateValue === 'ended') return;
    if (this.statsTimer) clearInterval(this.statsTimer);
    if (this.iceRestartTimer) clearTimeout(this.iceRestartTimer);
    this.endInfo = info;
    if (this.audio) this.audio.srcObject = null;
    this.setState('ended');
    this.emit('ended', info);
    this.resolveEnded(info);
  }
}
