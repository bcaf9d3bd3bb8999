/** Decimal text without float noise: 1 - 0.999 is written 0.001, not 0.0010000000000000009. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`not a finite number: ${n}`);
  return String(Number.parseFloat(n.toPrecision(12)));
}

/** The error budget of an objective in percent, as a ratio (99.9 -> 0.001). */
export function errorBudget(objectivePercent: number): number {
  return Number.parseFloat(((100 - objectivePercent) / 100).toPrecision(12));
}
