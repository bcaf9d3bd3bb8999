// Prometheus duration strings ("90s", "1h30m", "30d"), as its config and PromQL accept them.

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
  y: 365 * 86_400_000,
};

// Units must appear largest first and at most once, as Prometheus requires.
const ORDER = ['y', 'w', 'd', 'h', 'm', 's', 'ms'];
const DURATION_RE = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** Milliseconds in a Prometheus duration, or undefined when the text is not one. */
export function parseDuration(text: string): number | undefined {
  if (text === '' || text === '0') return text === '0' ? 0 : undefined;
  const m = DURATION_RE.exec(text);
  if (!m) return undefined;
  let total = 0;
  ORDER.forEach((unit, i) => {
    const n = m[i + 1];
    if (n !== undefined) total += Number(n) * UNIT_MS[unit]!;
  });
  return total;
}

/** Canonical Prometheus text for a whole number of milliseconds, largest units first ("1d2h"). */
export function formatDuration(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0) throw new RangeError(`not a duration: ${ms}ms`);
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  // Years and weeks are left out on purpose: "30d" reads better than "4w2d".
  for (const unit of ['d', 'h', 'm', 's', 'ms']) {
    const size = UNIT_MS[unit]!;
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

export const MINUTE_MS = UNIT_MS.m!;
export const HOUR_MS = UNIT_MS.h!;
export const DAY_MS = UNIT_MS.d!;
