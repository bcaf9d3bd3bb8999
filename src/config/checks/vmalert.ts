// With vmalert as a target (`prometheus.vmalert`), what vmalert 1.79 and MetricsQL cannot run is
// refused, so the rule files load and evaluate as promtool tested them. Measured against Debian's
// victoria-metrics 1.79 (test/vmalert/vmalert.tool.test.ts): it refuses `keep_firing_for`, and
// MetricsQL lacks the native-histogram functions, which native latency SLIs compile to.
import type { Config } from '../schema/config.js';
import type { ConfigPath, ConfigProblem } from '../errors.js';
import { functionsCalled } from '../../promql/reads.js';
import { atSampleWindow } from '../../promql/window.js';

/** PromQL 2.42 functions MetricsQL 1.79 does not know ("unknown func"), as the tool test measures. */
export const METRICSQL_MISSING: readonly string[] = ['day_of_year', 'histogram_count', 'histogram_fraction', 'histogram_sum'];

const WHY = 'vmalert is a target (prometheus.vmalert)';

function queryProblems(expr: string | undefined, path: ConfigPath): ConfigProblem[] {
  if (expr === undefined) return [];
  const missing = functionsCalled(atSampleWindow(expr)).filter((f) => METRICSQL_MISSING.includes(f));
  return missing.length === 0 ? [] : [{ path, message: `calls ${missing.join(', ')}, which MetricsQL (VictoriaMetrics 1.79) does not have, and ${WHY}` }];
}

export function vmalertProblems(cfg: Config): ConfigProblem[] {
  if (cfg.prometheus?.vmalert !== true) return [];
  const out: ConfigProblem[] = [];
  cfg.services.forEach((svc, si) => {
    (svc.slos ?? []).forEach((slo, i) => {
      const at = ['services', si, 'slos', i, 'sli'] as const;
      if (slo.sli.latency?.native) {
        out.push({ path: [...at, 'latency', 'native'], message: `reads a native histogram, which VictoriaMetrics 1.79 cannot store and MetricsQL cannot evaluate (no histogram_count or histogram_fraction), and ${WHY}: use the classic histogram's buckets (native: false)` });
      }
      const q = slo.sli.query;
      if (q) for (const part of ['errors', 'good', 'total'] as const) out.push(...queryProblems(q[part], [...at, 'query', part]));
    });
    (svc.thresholds ?? []).forEach((th, i) => {
      const at = ['services', si, 'thresholds', i] as const;
      if (th.keepFiringFor !== undefined) {
        out.push({ path: [...at, 'keepFiringFor'], message: `becomes keep_firing_for, which vmalert 1.79 refuses (the whole rule file fails to load), and ${WHY}: drop it, or use for` });
      }
      out.push(...queryProblems(th.expr, [...at, 'expr']), ...queryProblems(th.predict?.series, [...at, 'predict', 'series']), ...queryProblems(th.anomaly?.series, [...at, 'anomaly', 'series']));
    });
  });
  return out;
}
