// With vmalert as a target (`prometheus.vmalert`), what vmalert 1.79 and MetricsQL cannot run is
// refused, so the rule files load and evaluate as promtool tested them. Measured against Debian's
// victoria-metrics 1.79 (test/vmalert/vmalert.tool.test.ts): it refuses `keep_firing_for`, and
// MetricsQL lacks the native-histogram functions, which native latency SLIs compile to.
import type { Config, Slo, Threshold } from '../schema/config.js';
import type { ConfigPath, ConfigProblem } from '../errors.js';
import { functionsCalled } from '../../promql/reads.js';
import { atSampleWindow } from '../../promql/window.js';
import { sliCase, thresholdCase, unhandled } from '../kinds.js';

/** PromQL 2.42 functions MetricsQL 1.79 does not know ("unknown func"), as the tool test measures. */
export const METRICSQL_MISSING: readonly string[] = ['day_of_year', 'histogram_count', 'histogram_fraction', 'histogram_sum'];

const WHY = 'vmalert is a target (prometheus.vmalert)';

function queryProblems(expr: string | undefined, path: ConfigPath): ConfigProblem[] {
  if (expr === undefined) return [];
  const missing = functionsCalled(atSampleWindow(expr)).filter((f) => METRICSQL_MISSING.includes(f));
  return missing.length === 0
    ? []
    : [{ path, message: `calls ${missing.join(', ')}, which MetricsQL (VictoriaMetrics 1.79) does not have, and ${WHY}` }];
}

function sliProblems(sli: Slo['sli'], at: ConfigPath): ConfigProblem[] {
  const c = sliCase(sli);
  switch (c.kind) {
    case 'latency':
      return c.spec.native
        ? [
            {
              path: [...at, 'latency', 'native'],
              message: `reads a native histogram, which VictoriaMetrics 1.79 cannot store and MetricsQL cannot evaluate (no histogram_count or histogram_fraction), and ${WHY}: use the classic histogram's buckets (native: false)`,
            },
          ]
        : [];
    case 'query':
      return (['errors', 'good', 'total'] as const).flatMap((part) => queryProblems(c.spec[part], [...at, 'query', part]));
    case 'ratio':
    case 'boolGauge':
      return [];
    default:
      return unhandled(c);
  }
}

/** The threshold kinds that take a PromQL expression, which MetricsQL must be able to run. */
function thresholdProblems(th: Threshold, at: ConfigPath): ConfigProblem[] {
  const c = thresholdCase(th);
  switch (c.kind) {
    case 'expr':
      return queryProblems(c.spec, [...at, 'expr']);
    case 'predict':
    case 'anomaly':
      return queryProblems(c.spec.series, [...at, c.kind, 'series']);
    case 'percentile':
    case 'ratio':
      return [];
    default:
      return unhandled(c);
  }
}

export function vmalertProblems(cfg: Config): ConfigProblem[] {
  if (cfg.prometheus?.vmalert !== true) return [];
  const out: ConfigProblem[] = [];
  cfg.services.forEach((svc, si) => {
    (svc.slos ?? []).forEach((slo, i) => {
      out.push(...sliProblems(slo.sli, ['services', si, 'slos', i, 'sli']));
    });
    (svc.thresholds ?? []).forEach((th, i) => {
      const at = ['services', si, 'thresholds', i] as const;
      if (th.keepFiringFor !== undefined) {
        out.push({
          path: [...at, 'keepFiringFor'],
          message: `becomes keep_firing_for, which vmalert 1.79 refuses (the whole rule file fails to load), and ${WHY}: drop it, or use for`,
        });
      }
      out.push(...thresholdProblems(th, at));
    });
  });
  return out;
}
