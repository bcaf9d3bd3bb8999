/** Decimal text without float noise: 1 - 0.999 is written 0.001, not 0.0010000000000000009. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`not a finite number: ${n}`);
  return String(Number.parseFloat(n.toPrecision(12)));
}

