// Repeated log lines, such as one per alert refused by an hourly cap during an alert storm,
// would flood stderr. Each kind of line is written at most once per window; the next one that
// is written says how many were left out.
export class LogLimiter {
  private readonly last = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly log: (line: string) => void,
    private readonly now: () => number,
    private readonly windowMs = 60_000,
  ) {}

  /** Logs `text` unless a line of the same `kind` was logged within the window. */
  line(kind: string, text: string): void {
    const now = this.now();
    const prev = this.last.get(kind);
    if (prev && now - prev.at < this.windowMs) {
      prev.suppressed++;
      return;
    }
    this.log(prev?.suppressed ? `${text} (${prev.suppressed} more like it since the last one not logged)` : text);
    this.last.set(kind, { at: now, suppressed: 0 });
  }
}
