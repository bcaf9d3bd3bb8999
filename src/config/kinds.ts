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

/** The one kind key validation let through. */
export function sliCase(sli: SliConfig): SliCase {
  const kinds = (Object.keys(sli) as SliKind[]).filter((k) => sli[k] !== undefined);
  if (kinds.length !== 1) throw new InternalError(`a validated SLI has ${kinds.length} kinds`);
  const kind = kinds[0]!;
  return { kind, spec: sli[kind] } as SliCase;
}

export function thresholdCase(th: Threshold): ThresholdCase {
  const kinds = THRESHOLD_KINDS.filter((k) => th[k] !== undefined);
  if (kinds.length !== 1) throw new InternalError(`validated threshold "${th.name}" has ${kinds.length} kinds`);
  const kind = kinds[0]!;
  return { kind, spec: th[kind] } as ThresholdCase;
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
  if (r.histogram !== undefined && r.slowerThan !== undefined) return { form: 'histogram', histogram: r.histogram, slowerThan: r.slowerThan, window: r.window };
  if (r.numerator !== undefined && r.denominator !== undefined) return { form: 'counters', numerator: r.numerator, denominator: r.denominator, window: r.window };
  throw new InternalError('a validated ratio threshold has neither form complete');
}

export type ActionConfig = Remediation['action'];
export type ActionKind = keyof ActionConfig;
/** A remediation's action as one member per kind: `{ kind: 'http'; spec: {...} }`, ... */
export type ActionCase = { [K in ActionKind]: { kind: K; spec: NonNullable<ActionConfig[K]> } }[ActionKind];

export function actionCase(action: ActionConfig): ActionCase {
  const kinds = (Object.keys(action) as ActionKind[]).filter((k) => action[k] !== undefined);
  if (kinds.length !== 1) throw new InternalError(`a validated remediation action has ${kinds.length} kinds`);
  const kind = kinds[0]!;
  return { kind, spec: action[kind] } as ActionCase;
}
