import { Emitter } from './emitter';
import { WebcallError } from './errors';
import type { CallContext, CallDirection, CallEndInfo, CallEvents, CallOptions, CallState, Session } from './call-types';
import { CallQualityMonitor } from './call-quality';
import { dtmfSenderReady, normalizeDigits, sendDtmf, type DtmfTransport } from './dtmf';
import { IceWatchdog, iceConnected, mediaConnected } from './ice-watchdog';
import { acceptReplaces, followRefer } from './incoming-transfer';
import { OfferQueue } from './offer-queue';
import type { QualitySample, QualityWarning } from './quality';
import { RemoteAudio } from './remote-audio';
import { sessionExpiresAfter422 } from './session-timer';
import { bindSession, sessionHandlers } from './session-handlers';
import { sendRefer } from './transfer';

export type { CallContext, CallDirection, CallEndInfo, CallEvents, CallOptions, CallState } from './call-types';

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
  private remote: MediaStream | null = null;
  private retries = 0;
  private restarting = false;
  private readonly offers = new OfferQueue();
  private readonly audio: RemoteAudio;
  private readonly monitor: CallQualityMonitor;
  private readonly watchdog: IceWatchdog;
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
    this.audio = new RemoteAudio(options.audioElement ?? null, ctx.speakerId);
    this.monitor = new CallQualityMonitor(
      ctx.qualityThresholds,
      ctx.statsIntervalMs,
      {
        peerConnection: () => this.peerConnection,
        active: () => this.stateValue === 'active',
        muted: () => this.mutedValue,
        held: () => this.heldLocal || this.heldRemote,
      },
      (sample) => this.emit('quality', sample),
      ({ warning, active, sample }) => this.emit(active ? 'warning' : 'warning-cleared', { warning, sample }),
    );
    this.watchdog = new IceWatchdog(
      (reason) => void this.restartIceWhenPossible(reason),
      () => this.stateValue === 'active' && !this.restarting,
    );
    this.stateValue = direction === 'inbound' ? 'ringing' : 'connecting';
    this.endedPromise = new Promise((resolve) => (this.resolveEnded = resolve));
    if (session) {
      this.sessionRef = session;
      bindSession(session, this.handlers(ctx.sessionExpires));
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
    return this.monitor.latest;
  }
  get activeWarnings(): QualityWarning[] {
    return this.monitor.activeWarnings;
  }
  get remoteStream(): MediaStream | null {
    return this.remote;
  }
  /** The element the remote audio plays in (the one given in the options, else one the SDK created). */
  get audioElement(): HTMLAudioElement | null {
    return this.audio.element;
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
    return this.offers.run(() => {
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
   * Sends DTMF digits: RFC 4733 telephone-events on the audio RTP stream when negotiated (once the
   * media path is up), else SIP INFO. Resolves once all tones have been sent.
   */
  sendDigits(digits: string | number, options: { transport?: DtmfTransport; durationMs?: number; gapMs?: number } = {}): Promise<void> {
    this.requireActive();
    const tones = normalizeDigits(digits);
    const durationMs = options.durationMs ?? this.ctx.dtmf.durationMs;
    const gapMs = options.gapMs ?? this.ctx.dtmf.gapMs;
    const transport = options.transport ?? this.ctx.dtmf.transport;
    // RFC 4733 tones travel in the RTP stream: right after the answer they wait for the media path
    if (transport === 'info') return sendDtmf(this.peerConnection, this.sessionRef, tones, transport, durationMs, gapMs);
    return mediaConnected(this.peerConnection, 10_000)
      .then(() => dtmfSenderReady(this.peerConnection, 5_000))
      .then(() => sendDtmf(this.peerConnection, this.sessionRef, tones, transport, durationMs, gapMs));
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
    return this.offers.run(
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
            iceConnected(this.peerConnection).then(() => {
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
  setSpeaker(deviceId: string): Promise<void> {
    return this.audio.setSpeaker(deviceId);
  }

  /** Takes one quality sample now (also runs every `statsIntervalMs` while active). */
  collectStats(): Promise<QualitySample | null> {
    return this.monitor.collect();
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

  /** What this call does with its JsSIP session's events; `sessionExpires` is the interval this INVITE offered. */
  private handlers(sessionExpires: number) {
    return sessionHandlers({
      iceServers: () => this.ctx.pcConfig().iceServers as RTCIceServer[],
      iceGathering: this.ctx.iceGathering,
      iceReady: (reason, candidates, ms) => this.emit('ice-ready', { reason, candidates, ms }),
      peerConnection: (pc, regather) => this.attachPeerConnection(pc, regather),
      progress: (early) => {
        if (this.direction !== 'outbound') return;
        this.setState('ringing');
        this.emit('ringing', { early });
      },
      active: () => this.becomeActive(),
      hold: (local, held) => {
        if (local) this.heldLocal = held;
        else this.heldRemote = held;
        this.emit(held ? 'hold' : 'resume', { local: this.heldLocal, remote: this.heldRemote });
      },
      muted: (muted) => {
        this.mutedValue = muted;
        this.emit(muted ? 'mute' : 'unmute', undefined);
      },
      refer: (e) =>
        followRefer(e, this.ctx, (target, session) => {
          const call = new Call(this.ctx, 'outbound', target, {}, session);
          this.ctx.adopt(call);
          this.emit('transferred', { target, call });
        }),
      replaces: (e) =>
        acceptReplaces(e, this.ctx, (session) => {
          const call = new Call(this.ctx, 'inbound', String(session.remote_identity?.uri ?? ''), {}, session);
          this.ctx.adopt(call);
          this.emit('replaced', { call });
          setTimeout(() => void call.answer().catch(() => {}), 0);
        }),
      dtmf: (digit) => this.emit('dtmf', { digit }),
      ended: (by, cause) => this.finish({ by, cause }),
      failed: (by, cause, status, message) => {
        // 422 Session Interval Too Small (RFC 4028 section 6): dial again with the server's Min-SE
        if (by === 'remote' && status === 422 && this.direction === 'outbound' && this.retries < 2) {
          const next = sessionExpiresAfter422(message?.getHeader?.('Min-SE'), sessionExpires);
          if (next !== null) {
            this.retries++;
            this.emit('retry', { status, sessionExpires: next });
            this.sessionRef = this.dial(next);
            return;
          }
        }
        this.finish({ by, cause, status });
      },
    });
  }

  private attachPeerConnection(pc: RTCPeerConnection, regather: () => void): void {
    pc.addEventListener('icegatheringstatechange', () => {
      if (pc.iceGatheringState === 'gathering') regather();
    });
    pc.addEventListener('track', (event) => {
      const stream = event.streams[0] ?? new MediaStream([event.track]);
      this.remote = stream;
      this.audio.play(stream);
      this.emit('remote-stream', stream);
    });
    this.watchdog.watch(pc);
  }

  private async restartIceWhenPossible(reason: string): Promise<void> {
    if (!this.ctx.isConnected()) return; // the phone restarts ICE itself once signaling is back
    try {
      await this.restartIce(reason);
    } catch {
      /* reported through the call's state if the re-INVITE fails */
    }
  }

  private becomeActive(): void {
    if (this.stateValue === 'active' || this.stateValue === 'ended') return;
    this.startedAt = Date.now();
    this.setState('active');
    this.emit('active', undefined);
    this.monitor.start();
  }

  private finish(info: CallEndInfo): void {
    if (this.stateValue === 'ended') return;
    this.monitor.stop();
    this.watchdog.cancel();
    this.endInfo = info;
    this.audio.stop();
    this.setState('ended');
    this.emit('ended', info);
    this.resolveEnded(info);
  }
}
