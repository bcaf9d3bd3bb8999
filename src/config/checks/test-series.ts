// Every selector sloforge writes promtool tests for must be matched by some concrete series it
// can invent (a selector such as x{a="1",a="2"} matches nothing). Checked here, so compiling
// the tests cannot fail on user input.
import type { Config, Slo, Threshold } from '../schema/config.js';
import type { ConfigPath, ConfigProblem } from '../errors.js';
import { parseSelector, type Selector } from '../../promql/parse.js';
import { bucketAt, histogramPart } from '../../promql/histogram.js';
import { exprSelectors } from '../../promql/reads.js';
import { groupValues, inventSeries } from '../../promql/series.js';
import { atSampleWindow } from '../../promql/window.js';
import { counterRatio } from '../../promql/query.js';
import { sliSelectors } from './grouping.js';
import { ratioForm, sliCase, sliPart, thresholdCase, unhandled } from '../kinds.js';

/** `why`: what the failure means for this field, when the selector alone is not to blame. */
type Check = { match: Selector[]; avoid?: Selector; path: ConfigPath; why?: string };

function selector(text: string): Selector | undefined {
  const s = parseSelector(text);
  return typeof s === 'string' ? undefined : s;
}

const fieldName = (path: ConfigPath) => path.slice(path.indexOf('sli')).join('.');

/**
 * Checks that a part (bad or good) and a total counter can both be fed, apart when they share a
 * metric: then the total must also count the part's series, and have some of its own. Each
 * selector is tried alone first, so a typo is reported on the field it is in; a total that
 * excludes the part's series is the total's problem (it must count every event).
 */
function pairChecks(part: Selector, total: Selector, partPath: ConfigPath, totalPath: ConfigPath): Check[] {
  if (part.metric !== total.metric)
    return [
      { match: [part], path: partPath },
      { match: [total], path: totalPath },
    ];
  const same = partPath.join('.') === totalPath.join('.');
  return [
    { match: [part], path: partPath },
    { match: [total], path: totalPath },
    { match: [part, total], path: totalPath, why: same ? undefined : `it must also count the events of ${fieldName(partPath)}, but` },
    {
      match: [total],
      avoid: part,
      path: totalPath,
      why: same ? undefined : `it must count events besides those of ${fieldName(partPath)}, but`,
    },
  ];
}

/** The series an SLI's tests feed: the failing (or good) part and the rest of the total, or the gauge. */
function sloChecks(slo: Slo, path: ConfigPath): Check[] {
  const c = sliCase(slo.sli);
  const at = [...path, 'sli', c.kind];
  switch (c.kind) {
    case 'latency': {
      const h = selector(c.spec.histogram);
      const field = [...at, 'histogram'];
      if (!h) return [];
      // A native histogram is one series: its no-data test feeds a stand-in of that name.
      if (c.spec.native) return [{ match: [h], path: field }];
      return pairChecks(bucketAt(h, c.spec.threshold), histogramPart(h, '_count'), field, field);
    }
    case 'boolGauge': {
      const s = selector(c.spec.series);
      return s ? [{ match: [s], path: [...at, 'series'] }] : [];
    }
    case 'query': {
      const part = sliPart(c.spec);
      const out = expressionChecks(atSampleWindow(c.spec.total), [...at, 'total']);
      const feed = counterRatio(part.meaning, atSampleWindow(part.text), atSampleWindow(c.spec.total));
      if (feed) out.push(...pairChecks(feed.part, feed.total, [...at, part.field], [...at, 'total']));
      return out;
    }
    case 'ratio': {
      const p = sliPart(c.spec);
      const part = selector(p.text);
      const total = selector(c.spec.total);
      if (!part || !total) return [];
      return pairChecks(part, total, [...at, p.field], [...at, 'total']);
    }
    default:
      return unhandled(c);
  }
}

/** A grouped SLO's tests feed two groups: each grouping label needs two values its selectors accept. */
function groupProblems(slo: Slo, path: ConfigPath): ConfigProblem[] {
  const selectors = sliSelectors(slo.sli).map((s) => s.selector);
  return (slo.groupBy ?? []).flatMap((label, i) => {
    // A label pinned with `=` is refused already (checks/grouping.ts).
    if (selectors.some((s) => s.matchers.some((m) => m.name === label && m.op === '='))) return [];
    const values = groupValues(selectors, label, 2);
    return typeof values === 'string'
      ? [{ path: [...path, 'groupBy', i], message: `cannot build test series for this grouping label: ${values}` }]
      : [];
  });
}

/** The threshold's own series, then every selector its expression reads (fed by its no-data tests). */
function thresholdChecks(th: Threshold, path: ConfigPath): Check[] {
  const one = (text: string, at: ConfigPath, suffix?: string): Check[] => {
    const s = selector(text);
    return s ? [{ match: [suffix === undefined ? s : histogramPart(s, suffix)], path: at }] : [];
  };
  const c = thresholdCase(th);
  switch (c.kind) {
    case 'percentile':
      return one(c.spec.histogram, [...path, 'percentile', 'histogram'], '');
    case 'ratio': {
      const r = ratioForm(c.spec);
      if (r.form === 'histogram') return one(r.histogram, [...path, 'ratio', 'histogram'], '');
      const n = selector(r.numerator);
      const d = selector(r.denominator);
      if (!n || !d) return [];
      const numPath = [...path, 'ratio', 'numerator'];
      const denPath = [...path, 'ratio', 'denominator'];
      return n.metric === d.metric
        ? [
            { match: [{ metric: n.metric, matchers: [...n.matchers, ...d.matchers] }], path: numPath },
            { match: [d], avoid: n, path: denPath },
          ]
        : [
            { match: [n], path: numPath },
            { match: [d], path: denPath },
          ];
    }
    case 'predict':
    case 'anomaly':
      return [...one(c.spec.series, [...path, c.kind, 'series']), ...expressionChecks(c.spec.series, path)];
    case 'expr':
      return [...one(c.spec, [...path, 'expr']), ...expressionChecks(c.spec, path)];
    default:
      return unhandled(c);
  }
}

/** No-data tests feed every selector an expression reads. */
function expressionChecks(expr: string, path: ConfigPath): Check[] {
  return exprSelectors(expr).flatMap((text) => {
    const s = selector(text);
    return s ? [{ match: [s], path }] : [];
  });
}

export function testSeriesProblems(cfg: Config): ConfigProblem[] {
  const checks: Check[] = [];
  const grouped: ConfigProblem[] = [];
  cfg.services.forEach((svc, si) => {
    svc.slos?.forEach((slo, i) => {
      checks.push(...sloChecks(slo, ['services', si, 'slos', i]));
      grouped.push(...groupProblems(slo, ['services', si, 'slos', i]));
    });
    svc.thresholds?.forEach((th, i) => {
      checks.push(...thresholdChecks(th, ['services', si, 'thresholds', i]));
    });
  });
  const out: ConfigProblem[] = [...grouped];
  const seen = new Set<string>();
  // A failing selector makes every later check that includes it fail too: only the first counts.
  const failed = new Set<Selector>();
  for (const c of checks) {
    if (c.match.some((m) => failed.has(m)) || (c.avoid && failed.has(c.avoid))) continue;
    const s = inventSeries(c.match, c.avoid);
    if (typeof s !== 'string') continue;
    for (const m of c.match) failed.add(m);
    const message = `cannot build test series for this selector: ${c.why ? `${c.why} ` : ''}${s}`;
    const key = `${c.path.join('.')}|${message}`;
    if (!seen.has(key)) out.push({ path: c.path, message });
    seen.add(key);
  }
  return out;
}
