/** Decimal text without float noise: 1 - 0.999 is written 0.001, not 0.0010000000000000009. */
export function formatNumber(n: number): string {
  // Whole numbers below 10^12 already print exactly (toPrecision(12) would keep every digit), and
  // they are most of what promtool input series hold: skip the float round trip for them.
  if (Number.isSafeInteger(n) && n < 1e12 && n > -1e12) return Object.is(n, -0) ? '0' : String(n);
  if (!Number.isFinite(n)) throw new RangeError(`not a finite number: ${n}`);
  return String(Number.parseFloat(n.toPrecision(12)));
}
