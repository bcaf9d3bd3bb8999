// The service shape of issue 13, built programmatically for the scaling and profiling benchmarks:
// two SLOs (a request ratio and a latency histogram) and two thresholds (a free-form expression
// and a histogram percentile), every selector unique to its service.
import type { ConfigInput } from '../src/config/schema/config.js';

/** Service names sort in creation order, so file listings match the table rows. */
export function serviceName(i: number): string {
  return `svc-${String(i).padStart(4, '0')}`;
}

export function shapeConfig(services: number): ConfigInput {
  return {
    teams: [
      {
        name: 'platform',
        page: { pagerduty: { routingKeyFile: '/run/secrets/pagerduty' } },
        ticket: { slack: { apiUrlFile: '/run/secrets/slack', channel: '#platform' } },
      },
    ],
    grafana: { url: 'http://grafana.example', datasource: { url: 'http://prometheus.example:9090' } },
    services: Array.from({ length: services }, (_, i) => {
      const name = serviceName(i);
      return {
        name,
        team: 'platform',
        labels: { tier: '1' },
        slos: [
          {
            name: 'availability',
            objective: 99.9,
            description: `${name} requests succeed`,
            sli: { ratio: { errors: `http_requests_total{job="${name}",code=~"5.."}`, total: `http_requests_total{job="${name}"}` } },
            alerting: { runbook: `https://runbooks.example/${name}/availability` },
          },
          {
            name: 'latency',
            objective: 99,
            description: `${name} requests finish within 300 ms`,
            sli: { latency: { histogram: `http_request_duration_seconds{job="${name}"}`, threshold: 0.3 } },
          },
        ],
        thresholds: [
          {
            name: 'cpu',
            expr: `avg(rate(process_cpu_seconds_total{job="${name}"}[5m])) * 100`,
            warning: 70,
            critical: 85,
            for: '10m',
            unit: 'percent',
            description: `${name} processes use most of their CPU`,
          },
          {
            name: 'p99-latency',
            percentile: { histogram: `http_request_duration_seconds{job="${name}"}`, quantile: 0.99 },
            warning: 0.5,
            critical: 1,
            for: '10m',
            unit: 'seconds',
            description: `The slowest 1% of ${name} requests are slow`,
          },
        ],
      };
    }),
  };
}
