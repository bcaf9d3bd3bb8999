// What `sloforge check` asks Prometheus about each SLO and threshold, read from the resolved
// model: the series each config field selects, the histogram bounds that must be `le` values,
// the grouping labels that must be on the series, and the threshold expressions that must
// return data. Pure: check.ts turns these into queries.
import type { ConfigPath } from '../config/errors.js';
import type { Model, SliModel, SloModel, ThresholdModel } from '../model/types.js';
import { selectorsOf } from '../model/sli.js';
import { measuredExpr } from '../prometheus/threshold-rules.js';
import { histogramPart } from '../promql/histogram.js';
import type { Selector } from '../promql/parse.js';
import { atSampleWindow } from '../promql/window.js';

export interface Subject {
  service: string;
  kind: 'slo' | 'threshold';
  name: string;
  path: ConfigPath;
}

/** A config field, relative to its subject's path (`['sli', 'ratio', 'errors']`). */
export type Field = ReadonlyArray<string | number>;

/** A selector that must match series within the lookback. */
export interface SeriesRead {
  subject: Subject;
  field: Field;
  selector: Selector;
  /** Must hold native histogram samples. */
  native: boolean;
  /** The read this one is compared with in messages: a ratio's part with its total. */
  partOf?: Selector | undefined;
}

/** A classic histogram bound that must be one of the `le` values its `_bucket` series carry. */
export interface BoundCheck {
  subject: Subject;
  field: Field;
  /** The histogram's base name and matchers. */
  histogram: Selector;
  bound: number;
}

/** A grouping label that must be on the series the SLI sums. */
export interface GroupCheck {
  subject: Subject;
  field: Field;
  /** The label as the series carry it (`service`, not `exported_service`). */
  label: string;
  selector: Selector;
  native: boolean;
}

/** A threshold's measured expression, which must return data now. */
export interface ExprCheck {
  subject: Subject;
  field: Field;
  expr: string;
}

export interface LiveChecks {
  subjects: Subject[];
  reads: SeriesRead[];
  bounds: BoundCheck[];
  groups: GroupCheck[];
  exprs: ExprCheck[];
}

function sloChecks(subject: Subject, slo: SloModel, out: LiveChecks): void {
  const sli: SliModel = slo.sli;
  const read = (field: Field, selector: Selector, extra: Partial<SeriesRead> = {}) =>
    out.reads.push({ subject, field, selector, native: false, ...extra });
  /** The series grouping labels must be on: what the SLI's total sums. */
  let summed: Selector[];
  let native = false;
  switch (sli.kind) {
    case 'ratio': {
      const part = sli.meaning === 'bad' ? 'errors' : 'good';
      read(['sli', 'ratio', part], sli.part, { partOf: sli.total });
      read(['sli', 'ratio', 'total'], sli.total);
      summed = [sli.total];
      break;
    }
    case 'latency':
      read(['sli', 'latency', 'histogram'], sli.count);
      out.bounds.push({ subject, field: ['sli', 'latency', 'threshold'], histogram: sli.histogram, bound: sli.threshold });
      summed = [sli.count];
      break;
    case 'nativeLatency':
      read(['sli', 'latency', 'histogram'], sli.histogram, { native: true });
      summed = [sli.histogram];
      native = true;
      break;
    case 'query': {
      const part = sli.meaning === 'bad' ? 'errors' : 'good';
      const total = selectorsOf(atSampleWindow(sli.total));
      for (const s of selectorsOf(atSampleWindow(sli.part))) read(['sli', 'query', part], s);
      for (const s of total) read(['sli', 'query', 'total'], s);
      summed = total;
      break;
    }
    case 'boolGauge':
      read(['sli', 'boolGauge', 'series'], sli.series);
      summed = [sli.series];
      break;
  }
  slo.groupBy.forEach((carried, i) => {
    const label = slo.groupSource[carried] ?? carried;
    for (const selector of summed) out.groups.push({ subject, field: ['groupBy', i], label, selector, native });
  });
}

function thresholdChecks(subject: Subject, th: ThresholdModel, out: LiveChecks): void {
  const m = th.measure;
  const read = (field: Field, selector: Selector, partOf?: Selector) => out.reads.push({ subject, field, selector, native: false, partOf });
  let field: Field;
  switch (m.kind) {
    case 'expr':
      field = ['expr'];
      for (const s of selectorsOf(m.expr)) read(field, s);
      break;
    case 'percentile':
      field = ['percentile', 'histogram'];
      read(field, histogramPart(m.histogram, '_bucket'));
      break;
    case 'ratio':
      if (m.form === 'counters') {
        field = ['ratio', 'numerator'];
        read(field, m.numerator, m.denominator);
        read(['ratio', 'denominator'], m.denominator);
      } else {
        field = ['ratio', 'histogram'];
        read(field, histogramPart(m.histogram, '_count'));
        out.bounds.push({ subject, field: ['ratio', 'slowerThan'], histogram: m.histogram, bound: m.slowerThan });
      }
      break;
    case 'predict':
    case 'anomaly':
      field = [m.kind, 'series'];
      for (const s of selectorsOf(m.series)) read(field, s);
      break;
  }
  out.exprs.push({ subject, field, expr: measuredExpr(th) });
}

export function liveChecks(model: Model, service?: string): LiveChecks {
  const out: LiveChecks = { subjects: [], reads: [], bounds: [], groups: [], exprs: [] };
  for (const svc of model.services) {
    if (service !== undefined && svc.name !== service) continue;
    for (const slo of svc.slos) {
      const subject: Subject = { service: svc.name, kind: 'slo', name: slo.name, path: slo.path };
      out.subjects.push(subject);
      sloChecks(subject, slo, out);
    }
    for (const th of svc.thresholds) {
      const subject: Subject = { service: svc.name, kind: 'threshold', name: th.name, path: th.path };
      out.subjects.push(subject);
      thresholdChecks(subject, th, out);
    }
  }
  return out;
}
