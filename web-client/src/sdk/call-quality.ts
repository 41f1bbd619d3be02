import { QualityWarnings, StatsSampler, type QualitySample, type QualityThresholds, type WarningChange } from './quality';

/** What the monitor reads from its call. */
export interface QualitySource {
  peerConnection(): RTCPeerConnection | null;
  /** The call is active (samples are taken only then). */
  active(): boolean;
  muted(): boolean;
  /** On hold, either side. */
  held(): boolean;
}

/**
 * A call's quality over time: samples getStats every interval while the call is active, keeps the
 * latest sample and the active warnings, and reports each sample and each warning raised or cleared.
 */
export class CallQualityMonitor {
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly sampler = new StatsSampler();
  private readonly warnings: QualityWarnings;
  private last: QualitySample | null = null;

  constructor(
    thresholds: Partial<QualityThresholds>,
    private readonly intervalMs: number,
    private readonly source: QualitySource,
    private readonly onSample: (sample: QualitySample) => void,
    private readonly onChange: (change: WarningChange) => void,
  ) {
    this.warnings = new QualityWarnings(thresholds);
  }

  get latest(): QualitySample | null {
    return this.last;
  }

  get activeWarnings() {
    return this.warnings.current;
  }

  /** Starts periodic sampling (the call became active). */
  start(): void {
    if (!this.timer) this.timer = setInterval(() => void this.collect(), this.intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Takes one sample now; null when there is no connection or the call is not active. */
  async collect(): Promise<QualitySample | null> {
    const pc = this.source.peerConnection();
    if (!pc || !this.source.active()) return null;
    const report = await pc.getStats();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const sample = this.sampler.sample(report as any);
    this.last = sample;
    this.onSample(sample);
    for (const change of this.warnings.update(sample, this.source.muted(), this.source.held())) this.onChange(change);
    return sample;
  }
}
