/**
 * Call quality: turns WebRTC statistics (W3C webrtc-stats) into RTT, jitter, loss and a MOS
 * estimate, and raises/clears warnings with hysteresis so a UI does not flicker.
 */

/** One measurement interval of a call's audio. */
export interface QualitySample {
  /** Round-trip time in ms (remote-inbound-rtp, else the selected candidate pair), null if unknown. */
  rttMs: number | null;
  /** Receive jitter in ms. */
  jitterMs: number;
  /** Fraction of packets lost in this interval, 0..1 (worse of the two directions). */
  loss: number;
  /** MOS estimate 1..4.5 (E-model, ITU-T G.107 simplified); 1 when no audio arrived in the interval. */
  mos: number;
  /** Packets received since the previous sample. */
  packetsReceived: number;
  /** Total packets received in the call so far. */
  totalPacketsReceived: number;
  /** Packets sent since the previous sample. */
  packetsSent: number;
  /** Microphone level 0..1 (media-source audioLevel), null if the browser does not tell. */
  microphoneLevel: number | null;
}

export type QualityWarning = 'high-rtt' | 'high-jitter' | 'high-loss' | 'low-mos' | 'no-microphone-audio' | 'no-audio-received';

export interface QualityThresholds {
  rttRaiseMs: number;
  rttClearMs: number;
  jitterRaiseMs: number;
  jitterClearMs: number;
  lossRaise: number;
  lossClear: number;
  mosRaise: number;
  mosClear: number;
  /** Consecutive silent samples before "no microphone audio" is raised. */
  silentSamples: number;
  /** Consecutive samples without a received packet before "no audio received" is raised. */
  noAudioSamples: number;
}

export const DEFAULT_THRESHOLDS: QualityThresholds = {
  rttRaiseMs: 400,
  rttClearMs: 300,
  jitterRaiseMs: 30,
  jitterClearMs: 20,
  lossRaise: 0.05,
  lossClear: 0.02,
  mosRaise: 3.0,
  mosClear: 3.5,
  silentSamples: 3,
  noAudioSamples: 2,
};

/**
 * MOS from the E-model as commonly simplified for VoIP monitoring: effective latency
 * = one-way delay + 2 x jitter + 10 ms codec delay; R = 93.2 - delay impairment - 2.5 x loss%.
 */
export function estimateMos(rttMs: number | null, jitterMs: number, loss: number): number {
  const oneWay = (rttMs ?? 0) / 2;
  const effective = oneWay + jitterMs * 2 + 10;
  let r = 93.2;
  r -= effective < 160 ? effective / 40 : (effective - 120) / 10;
  r -= Math.min(100, Math.max(0, loss * 100)) * 2.5;
  if (r <= 0) return 1;
  if (r >= 100) return 4.5;
  const mos = 1 + 0.035 * r + 0.000007 * r * (r - 60) * (100 - r);
  return Math.round(Math.min(4.5, Math.max(1, mos)) * 100) / 100;
}

interface StatsEntry {
  type: string;
  kind?: string;
  [key: string]: unknown;
}

interface Counters {
  packetsReceived: number;
  packetsLost: number;
  packetsSent: number;
  remoteLost: number;
}

/**
 * Builds samples out of successive getStats() reports. Interval figures (loss, packet counts)
 * are differences against the previous report.
 */
export class StatsSampler {
  private previous: Counters | null = null;

  sample(report: Iterable<StatsEntry> | { forEach(cb: (entry: StatsEntry) => void): void }): QualitySample {
    const entries: StatsEntry[] = [];
    if (typeof (report as { forEach?: unknown }).forEach === 'function') {
      (report as { forEach(cb: (e: StatsEntry) => void): void }).forEach((e) => entries.push(e));
    } else {
      for (const e of report as Iterable<StatsEntry>) entries.push(e);
    }
    const audio = (e: StatsEntry) => e.kind === undefined || e.kind === 'audio';
    const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

    const inbound = entries.filter((e) => e.type === 'inbound-rtp' && audio(e));
    const outbound = entries.filter((e) => e.type === 'outbound-rtp' && audio(e));
    const remoteInbound = entries.filter((e) => e.type === 'remote-inbound-rtp' && audio(e));
    const pair = entries.find(
      (e) => e.type === 'candidate-pair' && (e.nominated === true || e.selected === true) && e.state === 'succeeded',
    );
    const source = entries.find((e) => e.type === 'media-source' && e.kind === 'audio');

    const counters: Counters = {
      packetsReceived: inbound.reduce((s, e) => s + num(e.packetsReceived), 0),
      packetsLost: inbound.reduce((s, e) => s + num(e.packetsLost), 0),
      packetsSent: outbound.reduce((s, e) => s + num(e.packetsSent), 0),
      remoteLost: remoteInbound.reduce((s, e) => s + num(e.packetsLost), 0),
    };
    const prev = this.previous ?? { packetsReceived: 0, packetsLost: 0, packetsSent: 0, remoteLost: 0 };
    this.previous = counters;

    const received = Math.max(0, counters.packetsReceived - prev.packetsReceived);
    const lost = Math.max(0, counters.packetsLost - prev.packetsLost);
    const sent = Math.max(0, counters.packetsSent - prev.packetsSent);
    const remoteLost = Math.max(0, counters.remoteLost - prev.remoteLost);
    const inLoss = received + lost > 0 ? lost / (received + lost) : 0;
    const outLoss = sent > 0 ? Math.min(1, remoteLost / sent) : 0;
    const loss = Math.max(inLoss, outLoss);

    let rttMs: number | null = null;
    const remoteRtt = remoteInbound.find((e) => typeof e.roundTripTime === 'number');
    if (remoteRtt) rttMs = num(remoteRtt.roundTripTime) * 1000;
    else if (pair && typeof pair.currentRoundTripTime === 'number') rttMs = num(pair.currentRoundTripTime) * 1000;

    const jitterMs = inbound.length ? Math.max(...inbound.map((e) => num(e.jitter) * 1000)) : 0;
    const microphoneLevel = source && typeof source.audioLevel === 'number' ? source.audioLevel : null;

    return {
      rttMs: rttMs === null ? null : Math.round(rttMs * 10) / 10,
      jitterMs: Math.round(jitterMs * 10) / 10,
      loss: Math.round(loss * 10000) / 10000,
      mos: received === 0 ? 1 : estimateMos(rttMs, jitterMs, loss),
      packetsReceived: received,
      totalPacketsReceived: counters.packetsReceived,
      packetsSent: sent,
      microphoneLevel,
    };
  }
}

export interface WarningChange {
  warning: QualityWarning;
  active: boolean;
  sample: QualitySample;
}

/** Tracks which warnings are active; `update` returns the raise/clear changes of this sample. */
export class QualityWarnings {
  private readonly active = new Set<QualityWarning>();
  private silent = 0;
  private starved = 0;
  private readonly t: QualityThresholds;

  constructor(thresholds: Partial<QualityThresholds> = {}) {
    this.t = { ...DEFAULT_THRESHOLDS, ...thresholds };
  }

  get current(): QualityWarning[] {
    return [...this.active];
  }

  /**
   * `muted`: the user muted the microphone, so silence is expected. `held`: the call is on hold
   * (either side), so no audio is expected in either direction and only transport warnings apply.
   */
  update(sample: QualitySample, muted = false, held = false): WarningChange[] {
    const changes: WarningChange[] = [];
    const decide = (w: QualityWarning, raise: boolean, clear: boolean) => {
      if (!this.active.has(w) && raise) {
        this.active.add(w);
        changes.push({ warning: w, active: true, sample });
      } else if (this.active.has(w) && clear) {
        this.active.delete(w);
        changes.push({ warning: w, active: false, sample });
      }
    };
    const rtt = sample.rttMs;
    decide('high-rtt', rtt !== null && rtt > this.t.rttRaiseMs, rtt === null || rtt < this.t.rttClearMs);
    decide('high-jitter', sample.jitterMs > this.t.jitterRaiseMs, sample.jitterMs < this.t.jitterClearMs);
    decide('high-loss', sample.loss > this.t.lossRaise, sample.loss < this.t.lossClear);
    this.starved = sample.packetsReceived === 0 && !held ? this.starved + 1 : 0;
    decide('no-audio-received', this.starved >= this.t.noAudioSamples, this.starved === 0);
    const starving = sample.packetsReceived === 0;
    decide('low-mos', !starving && sample.mos < this.t.mosRaise, starving || sample.mos > this.t.mosClear);
    if (sample.microphoneLevel !== null && !muted && !held) {
      this.silent = sample.microphoneLevel <= 0.0001 ? this.silent + 1 : 0;
    } else {
      this.silent = 0;
    }
    decide('no-microphone-audio', this.silent >= this.t.silentSamples, this.silent === 0);
    return changes;
  }
}
