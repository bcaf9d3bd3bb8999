// Fractions of a config repeat in every service (objectives, burn factors, bucket bounds), and
// toPrecision was a few percent of `generate` at 1,000 services: each one's text is kept.
const DECIMALS_MAX = 10_000;
const decimals = new Map<number, string>();

/** Decimal text without float noise: 1 - 0.999 is written 0.001, not 0.0010000000000000009. */
export function formatNumber(n: number): string {
  // Whole numbers below 10^12 already print exactly (toPrecision(12) would keep every digit), and
  // they are most of what promtool input series hold: skip the float round trip for them.
  if (Number.isSafeInteger(n) && n < 1e12 && n > -1e12) return Object.is(n, -0) ? '0' : String(n);
  let text = decimals.get(n);
  if (text === undefined) {
    if (!Number.isFinite(n)) throw new RangeError(`not a finite number: ${n}`);
    text = String(Number.parseFloat(n.toPrecision(12)));
    if (decimals.size >= DECIMALS_MAX) decimals.clear();
    decimals.set(n, text);
  }
  return text;
}
