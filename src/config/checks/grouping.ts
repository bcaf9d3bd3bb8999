// groupBy checks zod cannot express: a grouping label must be one the series carry with more than
// one value, and its name in the recordings and alerts (`exported_service` for a `service` label,
// since sloforge sets that one itself) must be free.
import type { Config, Slo } from '../schema/config.js';
import type { ConfigPath, ConfigProblem } from '../errors.js';
import { exportedLabel, LABEL } from '../../conventions.js';
import { parseSelector, type Selector } from '../../promql/parse.js';
import { aggregatesAway, exprSelectors } from '../../promql/reads.js';
import { atSampleWindow } from '../../promql/window.js';

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
  const out: SliSelector[] = [];
  const add = (field: string, sels: Selector[]) => out.push(...sels.map((selector) => ({ selector, field })));
  if (sli.ratio) {
    add('sli.ratio.errors', parsed(sli.ratio.errors));
    add('sli.ratio.good', parsed(sli.ratio.good));
    add('sli.ratio.total', parsed(sli.ratio.total));
  }
  if (sli.latency) add('sli.latency.histogram', parsed(sli.latency.histogram));
  if (sli.boolGauge) add('sli.boolGauge.series', parsed(sli.boolGauge.series));
  if (sli.query) {
    for (const key of ['errors', 'good', 'total'] as const) {
      const q = sli.query[key];
      if (q !== undefined) add(`sli.query.${key}`, exprSelectors(atSampleWindow(q)).flatMap(parsed));
    }
  }
  return out;
}

function sloProblems(svcLabels: Record<string, string>, slo: Slo, at: ConfigPath): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const own = { ...svcLabels, ...(slo.alerting?.labels ?? {}) };
  const selectors = sliSelectors(slo.sli);
  const groupBy = slo.groupBy ?? [];
  groupBy.forEach((label, i) => {
    const path = [...at, 'groupBy', i];
    if (label === LABEL.le || label.startsWith('__')) {
      out.push({ path, message: `"${label}" is ${label === LABEL.le ? 'a histogram\'s bucket bound' : 'a label Prometheus reserves'}, so it cannot tell groups apart` });
      return;
    }
    const written = exportedLabel(label);
    if (written !== label && groupBy.includes(written)) {
      out.push({ path, message: `"${label}" is carried as "${written}" in the recordings and alerts (sloforge sets "${label}" itself), and the SLO also groups by "${written}": group by one of them` });
      return;
    }
    if (own[written] !== undefined) {
      out.push({ path, message: `"${written}" is also set to "${own[written]}" by the service's labels or alerting.labels, which would overwrite every group's value; group by another label or drop the fixed one` });
      return;
    }
    const pin = selectors.find((s) => s.selector.matchers.some((m) => m.name === label && m.op === '='));
    if (pin) {
      const value = pin.selector.matchers.find((m) => m.name === label && m.op === '=')!.value;
      out.push({ path, message: `"${label}" is pinned to "${value}" by ${pin.field} (${label}="${value}"): every series has that one value, so there is one group; leave it out of groupBy or widen the matcher` });
    }
    if (slo.sli.query) {
      for (const key of ['errors', 'good', 'total'] as const) {
        const q = slo.sli.query[key];
        if (q !== undefined && aggregatesAway(atSampleWindow(q), label)) {
          out.push({
            path: [...at, 'sli', 'query', key],
            message: `aggregates the grouping label "${label}" away, so every group would read the same value: keep it, e.g. sum by (${label}) (...)`,
          });
        }
      }
    }
  });
  return out;
}

export function groupingProblems(cfg: Config): ConfigProblem[] {
  return cfg.services.flatMap((svc, si) => (svc.slos ?? []).flatMap((slo, i) => sloProblems(svc.labels ?? {}, slo, ['services', si, 'slos', i])));
}
