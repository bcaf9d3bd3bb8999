// Every selector sloforge writes promtool tests for must be matched by some concrete series it
// can invent (a selector such as x{a="1",a="2"} matches nothing). Checked here, so compiling
// the tests cannot fail on user input.
import type { Config, Slo, Threshold } from '../schema/config.js';
import type { ConfigPath, ConfigProblem } from '../errors.js';
import { parseSelector, type Selector } from '../../promql/parse.js';
import { bucketAt, histogramPart } from '../../promql/histogram.js';
import { exprSelectors } from '../../promql/reads.js';
import { inventSeries } from '../../promql/series.js';

type Check = { match: Selector[]; avoid?: Selector; path: ConfigPath };

function selector(text: string): Selector | undefined {
  const s = parseSelector(text);
  return typeof s === 'string' ? undefined : s;
}

/** The series an SLI's tests feed: the failing (or good) part and the rest of the total. */
function sloChecks(slo: Slo, path: ConfigPath): Check[] {
  let part: Selector | undefined;
  let total: Selector | undefined;
  let partPath: ConfigPath;
  let totalPath: ConfigPath;
  if (slo.sli.latency) {
    const h = selector(slo.sli.latency.histogram);
    if (!h) return [];
    part = bucketAt(h, slo.sli.latency.threshold);
    total = histogramPart(h, '_count');
    partPath = totalPath = [...path, 'sli', 'latency', 'histogram'];
  } else {
    const r = slo.sli.ratio!;
    const field = r.errors !== undefined ? 'errors' : 'good';
    part = selector((r.errors ?? r.good)!);
    total = selector(r.total);
    partPath = [...path, 'sli', 'ratio', field];
    totalPath = [...path, 'sli', 'ratio', 'total'];
  }
  if (!part || !total) return [];
  if (part.metric === total.metric) return [{ match: [part, total], path: partPath }, { match: [total], avoid: part, path: partPath }];
  return [{ match: [part], path: partPath }, { match: [total], path: totalPath }];
}

function thresholdChecks(th: Threshold, path: ConfigPath): Check[] {
  const one = (text: string | undefined, at: ConfigPath, suffix?: string): Check[] => {
    const s = text === undefined ? undefined : selector(text);
    return s ? [{ match: [suffix === undefined ? s : histogramPart(s, suffix)], path: at }] : [];
  };
  if (th.percentile) return one(th.percentile.histogram, [...path, 'percentile', 'histogram'], '');
  if (th.ratio) {
    const r = th.ratio;
    if (r.histogram !== undefined) return one(r.histogram, [...path, 'ratio', 'histogram'], '');
    const n = selector(r.numerator!);
    const d = selector(r.denominator!);
    if (!n || !d) return [];
    const numPath = [...path, 'ratio', 'numerator'];
    const denPath = [...path, 'ratio', 'denominator'];
    return n.metric === d.metric
      ? [{ match: [{ metric: n.metric, matchers: [...n.matchers, ...d.matchers] }], path: numPath }, { match: [d], avoid: n, path: denPath }]
      : [{ match: [n], path: numPath }, { match: [d], path: denPath }];
  }
  if (th.predict) return one(th.predict.series, [...path, 'predict', 'series']);
  if (th.anomaly) return one(th.anomaly.series, [...path, 'anomaly', 'series']);
  return one(th.expr, [...path, 'expr']);
}

/** No-data tests feed every selector an expression reads. */
function expressionChecks(expr: string | undefined, path: ConfigPath): Check[] {
  if (expr === undefined) return [];
  return exprSelectors(expr).flatMap((text) => {
    const s = selector(text);
    return s ? [{ match: [s], path }] : [];
  });
}

export function testSeriesProblems(cfg: Config): ConfigProblem[] {
  const checks: Check[] = [];
  cfg.services.forEach((svc, si) => {
    svc.slos?.forEach((slo, i) => checks.push(...sloChecks(slo, ['services', si, 'slos', i])));
    svc.thresholds?.forEach((th, i) => {
      const path = ['services', si, 'thresholds', i];
      checks.push(...thresholdChecks(th, path), ...expressionChecks(th.expr ?? th.predict?.series ?? th.anomaly?.series, path));
    });
  });
  const out: ConfigProblem[] = [];
  const seen = new Set<string>();
  for (const c of checks) {
    const s = inventSeries(c.match, c.avoid);
    if (typeof s !== 'string') continue;
    const message = `cannot build test series for this selector: ${s}`;
    const key = `${c.path.join('.')}|${message}`;
    if (!seen.has(key)) out.push({ path: c.path, message });
    seen.add(key);
  }
  return out;
}
