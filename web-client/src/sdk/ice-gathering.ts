/**
 * Bounded ICE candidate gathering. Browsers may take seconds to finish gathering (an unreachable
 * STUN/TURN server, a dead interface); a SIP offer only needs usable candidates. The policy says
 * "ready" as soon as the best candidate kind that the configuration can produce has arrived, and
 * in any case once `maxWaitMs` has passed with at least one candidate (RFC 8838 trickle is not used
 * over SIP here, so the offer carries whatever was gathered by then).
 */
export interface IceGatheringOptions {
  /** Upper bound from gathering start until the offer/answer goes out (default 500 ms). */
  maxWaitMs?: number;
  /** After the first host candidate with no STUN/TURN configured, wait this long for siblings (default 60 ms). */
  settleMs?: number;
}

export interface IceServerKinds {
  stun: boolean;
  turn: boolean;
}

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** Which candidate kinds the ICE servers can yield. */
export function iceServerKinds(servers: ReadonlyArray<{ urls: string | string[] }> | undefined): IceServerKinds {
  const urls = (servers ?? []).flatMap((s) => (Array.isArray(s.urls) ? s.urls : [s.urls]));
  return {
    stun: urls.some((u) => /^stuns?:/i.test(u)) || urls.some((u) => /^turns?:/i.test(u)),
    turn: urls.some((u) => /^turns?:/i.test(u)),
  };
}

/** Candidate type from an RTCIceCandidate or its SDP line ("... typ host ..."). */
export function candidateType(candidate: { type?: string | null; candidate?: string }): string {
  if (candidate.type) return candidate.type;
  const m = / typ (\w+)/.exec(candidate.candidate ?? '');
  return m ? m[1] : 'host';
}

export class IceGatheringPolicy {
  private readonly maxWaitMs: number;
  private readonly settleMs: number;
  private started = false;
  private done = false;
  private deadlinePassed = false;
  private count = 0;
  private ready: (() => void) | null = null;
  private maxTimer: unknown = null;
  private settleTimer: unknown = null;

  constructor(
    private readonly kinds: IceServerKinds,
    options: IceGatheringOptions = {},
    private readonly timers: Timers = realTimers,
    private readonly onReady: (reason: string, candidates: number) => void = () => {},
  ) {
    this.maxWaitMs = options.maxWaitMs ?? 500;
    this.settleMs = options.settleMs ?? 60;
  }

  /** Gathering has started (the peer connection's iceGatheringState became "gathering"). */
  start(): void {
    if (this.started || this.done) return;
    this.started = true;
    this.maxTimer = this.timers.set(() => {
      this.deadlinePassed = true;
      if (this.count > 0) this.finish('deadline');
    }, this.maxWaitMs);
  }

  /** A candidate arrived; `ready` tells the SIP stack to send the SDP now. */
  candidate(candidate: { type?: string | null; candidate?: string }, ready: () => void): void {
    if (this.done) return;
    this.start();
    this.ready = ready;
    this.count++;
    const type = candidateType(candidate);
    if (type === 'relay') return this.finish('relay candidate');
    if (type === 'srflx' && !this.kinds.turn) return this.finish('server-reflexive candidate');
    if (this.deadlinePassed) return this.finish('deadline');
    if (type === 'host' && !this.kinds.stun && !this.kinds.turn && this.settleTimer === null) {
      this.settleTimer = this.timers.set(() => this.finish('host candidates'), this.settleMs);
    }
  }

  /** Gathering completed by itself before any rule fired. */
  complete(): void {
    this.finish('gathering complete', false);
  }

  get isDone(): boolean {
    return this.done;
  }

  private finish(reason: string, callReady = true): void {
    if (this.done) return;
    this.done = true;
    if (this.maxTimer !== null) this.timers.clear(this.maxTimer);
    if (this.settleTimer !== null) this.timers.clear(this.settleTimer);
    if (callReady && this.ready) this.ready();
    this.onReady(reason, this.count);
  }
}
