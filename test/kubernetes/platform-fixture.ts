// Configs at the platforms' limits (issue 24): many SLOs and thresholds in one service, with
// Kubernetes, Mimir and Thanos on.
import { team } from '../helpers/teams.js';

/** One team, Kubernetes, Mimir and Thanos on, and the services given. */
export function platformConfig(services: unknown[], thanosSplit = true): any {
  return {
    teams: [team('payments')],
    grafana: { url: 'https://grafana.example' },
    prometheus: { mimir: true, thanos: true, ...(thanosSplit ? { ruleGroups: { partialResponseStrategy: { recording: 'warn' } } } : {}) },
    kubernetes: { namespace: 'monitoring', labels: { release: 'kube-prometheus-stack' } },
    services,
  };
}

/** A service of `slos` request SLOs and `thresholds` CPU thresholds, each with a description. */
export function bigService(name: string, slos: number, thresholds: number): unknown {
  return {
    name,
    team: 'payments',
    slos: Array.from({ length: slos }, (_, i) => ({
      name: `route-${i}`,
      objective: 99.9,
      description: `Requests to /r${i} succeed`,
      sli: {
        ratio: {
          errors: `http_requests_total{job="${name}",route="/r${i}",code=~"5.."}`,
          total: `http_requests_total{job="${name}",route="/r${i}"}`,
        },
      },
    })),
    thresholds: Array.from({ length: thresholds }, (_, i) => ({
      name: `pod-${i}-cpu`,
      expr: `avg(rate(process_cpu_seconds_total{job="${name}",pod="p${i}"}[5m])) * 100`,
      warning: 70,
      critical: 85,
      for: '10m',
      unit: 'percent',
      description: `Pod ${i} of ${name} uses most of its CPU`,
    })),
  };
}
