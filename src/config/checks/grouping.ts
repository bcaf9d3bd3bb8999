// groupBy checks zod cannot express: a grouping label must be one the series carry with more than
// one value, and its name in the recordings and alerts (`exported_service` for a `service` label,
// since sloforge sets that one itself) must be free.
import type { Config, Slo } from '../schema/config.js';
import type { ConfigPath, ConfigProblem } from '../errors.js';
import { exportedLabel, LABEL } from '../../conventions.js';
import { parseSelector, type Selector } from '../../promql/parse.js';
import { aggregatesAway, exprSelectors } from '../../promql/reads.js';
import { atSampleWindow } from '../../promql/window.js';
import { sliCase, unhandled } from '../kinds.js';

type QuerySli = NonNullable<Slo['sli']['query']>;

/** A selector of the SLI and the field it was written in. */
export interface SliSelector {
  selector: Selector;
  field: string;
}

function parsed(text: string | undefined): Selector[] {
  if (text === undefined) return [];
  const s = parseSelector(text);
  return typeof s === 'string' ? [] : [s];
}

/** The SLI's selectors as written, with their fields (`sli.ratio.total`, ...). */
export function sliSelectors(sli: Slo['sli']): SliSelector[] {
  const c = sliCase(sli);
  const field = (key: string) => `sli.${c.kind}.${key}`;
  const at = (key: string, sels: Selector[]) => sels.map((selector) => ({ selector, field: field(key) }));
  switch (c.kind) {
    case 'ratio':
      return [...at('errors', parsed(c.spec.errors)), ...at('good', parsed(c.spec.good)), ...at('total', parsed(c.spec.total))];
    case 'latency':
      return at('histogram', parsed(c.spec.histogram));
    case 'boolGauge':
      return at('series', parsed(c.spec.series));
    case 'query':
      return queryFields(c.spec).flatMap(([key, q]) => at(key, exprSelectors(atSampleWindow(q)).flatMap(parsed)));
    default:
      return unhandled(c);
  }
}

/** A query SLI's expressions with their keys, in the order the config lists them. */
function queryFields(q: QuerySli): Array<['errors' | 'good' | 'total', string]> {
  return (['errors', 'good', 'total'] as const).flatMap((key) =>
    q[key] === undefined ? [] : [[key, q[key]] as ['errors' | 'good' | 'total', string]],
  );
}

/** Expressions of the SLI that may aggregate a grouping label away: a query's; the other kinds are selectors. */
function sliExpressions(sli: Slo['sli']): Array<['errors' | 'good' | 'total', string]> {
  const c = sliCase(sli);
  switch (c.kind) {
    case 'query':
      return queryFields(c.spec);
    case 'ratio':
    case 'latency':
    case 'boolGauge':
      return [];
    default:
      return unhandled(c);
  }
}

function sloProblems(svcLabels: Record<string, string>, slo: Slo, at: ConfigPath): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const own = { ...svcLabels, ...(slo.alerting?.labels ?? {}) };
  const selectors = sliSelectors(slo.sli);
  const groupBy = slo.groupBy ?? [];
  groupBy.forEach((label, i) => {
    const path = [...at, 'groupBy', i];
    if (label === LABEL.le || label.startsWith('__')) {
      out.push({
        path,
        message: `"${label}" is ${label === LABEL.le ? "a histogram's bucket bound" : 'a label Prometheus reserves'}, so it cannot tell groups apart`,
      });
      return;
    }
    const written = exportedLabel(label);
    if (written !== label && groupBy.includes(written)) {
      out.push({
        path,
        message: `"${label}" is carried as "${written}" in the recordings and alerts (sloforge sets "${label}" itself), and the SLO also groups by "${written}": group by one of them`,
      });
      return;
    }
    if (own[written] !== undefined) {
      out.push({
        path,
        message: `"${written}" is also set to "${own[written]}" by the service's labels or alerting.labels, which would overwrite every group's value; group by another label or drop the fixed one`,
      });
      return;
    }
    const pin = selectors.find((s) => s.selector.matchers.some((m) => m.name === label && m.op === '='));
    if (pin) {
      const value = pin.selector.matchers.find((m) => m.name === label && m.op === '=')!.value;
      out.push({
        path,
        message: `"${label}" is pinned to "${value}" by ${pin.field} (${label}="${value}"): every series has that one value, so there is one group; leave it out of groupBy or widen the matcher`,
      });
    }
    for (const [key, q] of sliExpressions(slo.sli)) {
      if (aggregatesAway(atSampleWindow(q), label)) {
        out.push({
          path: [...at, 'sli', 'query', key],
          message: `aggregates the grouping label "${label}" away, so every group would read the same value: keep it, e.g. sum by (${label}) (...)`,
        });
      }
    }
  });
  return out;
}

export function groupingProblems(cfg: Config): ConfigProblem[] {
  return cfg.services.flatMap((svc, si) =>
    (svc.slos ?? []).flatMap((slo, i) => sloProblems(svc.labels ?? {}, slo, ['services', si, 'slos', i])),
  );
}
