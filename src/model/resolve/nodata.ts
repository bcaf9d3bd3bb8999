// No-data alerts: the inputs whose absence blinds an SLO or threshold, how long the wait is and
// how it splits into lookback and `for:`, and a grouped SLO's per-group checks.
import type { Threshold } from '../../config/schema/config.js';
import type { ConfigPath } from '../../config/errors.js';
import { HOUR_MS, MINUTE_MS } from '../../config/duration.js';
import { DEFAULT_NODATA_FOR, DEFAULT_NODATA_SEVERITY } from '../../conventions.js';
import { formatSelector } from '../../promql/parse.js';
import { sliInputs } from '../sli.js';
import type { GroupSource, NoDataModel, SliModel } from '../types.js';
import { ms } from './validated.js';

/**
 * Per-group no-data checks: each input against itself (a group that reported within the hour
 * and stopped), and a classic histogram's bucket against its `_count` (a group whose threshold
 * is no bucket bound).
 */
export function perGroupInputs(
  sli: SliModel,
  groupBy: readonly string[],
  source: GroupSource,
  settings: NoDataSettings | undefined,
): NoDataModel['perGroup'] {
  if (groupBy.length === 0) return undefined;
  const pairs = sliInputs(sli).map((input) => ({
    seen: formatSelector(sli.kind === 'latency' && input === sli.bucket ? sli.count : input),
    input: formatSelector(input),
  }));
  // A vanished group is remembered long enough for the alert's `for:` to run out after the lookback.
  return { by: [...groupBy], source, pairs, memoryMs: Math.max(HOUR_MS, 2 * noDataTiming(settings?.for).waitMs) };
}

/** How a no-data wait splits into an absent_over_time lookback and the alert's `for:` (docs/thresholds.md). */
export function noDataTiming(waitText: string | undefined): { waitMs: number; lookbackMs: number; pendingMs: number } {
  const waitMs = ms(waitText ?? DEFAULT_NODATA_FOR);
  const lookbackMs = Math.min(5 * MINUTE_MS, Math.floor(waitMs / 2 / 1000) * 1000);
  return { waitMs, lookbackMs, pendingMs: waitMs - lookbackMs };
}

export type NoDataSettings = NonNullable<Threshold['noData']>;

export function resolveNoData(
  kind: 'slo' | 'threshold',
  name: string,
  inputs: string[],
  settings: NoDataSettings | undefined,
  runbook: string | undefined,
  hint: string | undefined,
  path: ConfigPath,
  perGroup?: NoDataModel['perGroup'],
): NoDataModel | undefined {
  if (settings?.enabled === false || inputs.length === 0) return undefined;
  return {
    kind,
    name,
    inputs,
    perGroup,
    severity: settings?.severity ?? DEFAULT_NODATA_SEVERITY,
    remediation: settings?.remediation,
    ...noDataTiming(settings?.for),
    runbook,
    hint,
    path,
  };
}
