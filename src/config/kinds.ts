// The config names an SLI's kind, a threshold's kind, a part of a ratio and a threshold ratio's
// form by which key is set ({ ratio: {...} }, { errors } or { good }), which reads well in a
// config but leaves the type checker nothing to switch on. Code after validation reads them
// through these views instead: discriminated unions on `kind` (or `field`, `form`), built from
// the schema's own keys, so a switch that ends in `unhandled(c)` stops compiling when a kind is
// added to the schema and not handled there. The model side gets the same from
// src/model/types.ts' unions.
import type { Remediation, Slo, Threshold } from './schema/config.js';
import { THRESHOLD_KINDS, type ThresholdKind } from './schema/threshold.js';
import { InternalError } from '../errors.js';

/** Thrown by a switch over a kind that a value reached without a case: a sloforge bug (tsc refuses it first). */
export function unhandled(value: never): never {
  throw new InternalError(`unhandled kind ${JSON.stringify(value)}`);
}

export type SliConfig = Slo['sli'];
export type SliKind = keyof SliConfig;
/** An SLI as one member per kind: `{ kind: 'ratio'; spec: { errors?, good?, total, ... } }`, ... */
export type SliCase = { [K in SliKind]: { kind: K; spec: NonNullable<SliConfig[K]> } }[SliKind];

export type ThresholdCase = { [K in ThresholdKind]: { kind: K; spec: NonNullable<Threshold[K]> } }[ThresholdKind];

/** The one kind key of `kinds` validation let through in `value`, with what it holds. */
function oneKind<T extends object, K extends keyof T>(value: T, kinds: readonly K[], what: string): { kind: K; spec: T[K] } {
  const set = kinds.filter((k) => value[k] !== undefined);
  if (set.length !== 1) throw new InternalError(`${what} has ${set.length} kinds`);
  const kind = set[0]!;
  return { kind, spec: value[kind] };
}

export function sliCase(sli: SliConfig): SliCase {
  return oneKind(sli, Object.keys(sli) as SliKind[], 'a validated SLI') as SliCase;
}

export function thresholdCase(th: Threshold): ThresholdCase {
  return oneKind(th, THRESHOLD_KINDS, `validated threshold "${th.name}"`) as ThresholdCase;
}

/** The part of a ratio or query SLI next to its total: failed events (`errors`) or good ones (`good`). */
export type SliPart = { field: 'errors'; meaning: 'bad'; text: string } | { field: 'good'; meaning: 'good'; text: string };

export function sliPart(p: { errors?: string | undefined; good?: string | undefined }): SliPart {
  if (p.errors !== undefined) return { field: 'errors', meaning: 'bad', text: p.errors };
  if (p.good !== undefined) return { field: 'good', meaning: 'good', text: p.good };
  throw new InternalError('a validated SLI has neither errors nor good');
}

type RatioThreshold = NonNullable<Threshold['ratio']>;
/** A ratio threshold's two forms: counters, or a histogram's share of slow observations. */
export type RatioForm =
  | { form: 'counters'; numerator: string; denominator: string; window: string | undefined }
  | { form: 'histogram'; histogram: string; slowerThan: number; window: string | undefined };

export function ratioForm(r: RatioThreshold): RatioForm {
  if (r.histogram !== undefined && r.slowerThan !== undefined)
    return { form: 'histogram', histogram: r.histogram, slowerThan: r.slowerThan, window: r.window };
  if (r.numerator !== undefined && r.denominator !== undefined)
    return { form: 'counters', numerator: r.numerator, denominator: r.denominator, window: r.window };
  throw new InternalError('a validated ratio threshold has neither form complete');
}

export type ActionConfig = Remediation['action'];
export type ActionKind = keyof ActionConfig;
/** A remediation's action as one member per kind: `{ kind: 'http'; spec: {...} }`, ... */
export type ActionCase = { [K in ActionKind]: { kind: K; spec: NonNullable<ActionConfig[K]> } }[ActionKind];

export function actionCase(action: ActionConfig): ActionCase {
  return oneKind(action, Object.keys(action) as ActionKind[], 'a validated remediation action') as ActionCase;
}
