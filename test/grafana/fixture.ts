// A config exercising every panel kind: ratio SLIs with errors and with good, latency SLIs that
// share a histogram, thresholds in both directions, a service name too long for a plain uid, and
// every other SLI kind (grouped, query, boolean gauge, native histogram).
import { validateConfig } from '../../src/config/validate.js';
import type { Config } from '../../src/config/schema/config.js';
import { team } from '../helpers/teams.js';

export const LONG_SERVICE = 'a-service-name-long-enough-to-be-cut-short';

export function fixtureConfig(grafana?: Record<string, unknown>): Config {
  return validateConfig({
    teams: [team('payments'), team('search'), team('idle')],
    services: [
      {
        name: 'checkout',
        team: 'payments',
        labels: { tier: '1' },
        slos: [
          {
            name: 'availability',
            objective: 99.9,
            sli: { ratio: { errors: 'http_requests_total{job="checkout",code=~"5.."}', total: 'http_requests_total{job="checkout"}' } },
          },
          {
            name: 'fast',
            objective: 99,
            period: '7d',
            sli: { latency: { histogram: 'http_request_duration_seconds{job="checkout"}', threshold: 0.3 } },
          },
          {
            name: 'very-fast',
            objective: 95,
            period: '28d',
            sli: { latency: { histogram: 'http_request_duration_seconds{job="checkout"}', threshold: 0.1 } },
          },
        ],
        thresholds: [
          {
            name: 'cpu',
            expr: 'avg(rate(process_cpu_seconds_total{job="checkout"}[5m])) * 100',
            warning: 70,
            critical: 85,
            for: '5m',
            unit: 'percent',
          },
          {
            name: 'free-disk',
            expr: 'min(node_filesystem_avail_bytes{job="node"}) / 1e9',
            warning: 20,
            critical: 5,
            direction: 'below',
            unit: 'decgbytes',
          },
        ],
      },
      {
        name: LONG_SERVICE,
        team: 'search',
        slos: [
          {
            name: 'success',
            objective: 99.5,
            sli: { ratio: { good: 'jobs_total{outcome="ok"}', total: 'jobs_total' } },
            alerting: { enabled: false },
          },
        ],
      },
      { name: 'thresholds-only', team: 'search', thresholds: [{ name: 'queue', expr: 'sum(queue_depth)', warning: 100 }] },
      {
        name: 'kinds',
        team: 'search',
        slos: [
          {
            name: 'per-route',
            objective: 99.9,
            groupBy: ['route'],
            sli: { ratio: { errors: 'api_requests_total{job="api",code=~"5.."}', total: 'api_requests_total{job="api"}' } },
          },
          {
            name: 'per-tenant-latency',
            objective: 99,
            groupBy: ['route', 'tenant'],
            sli: { latency: { histogram: 'api_duration_seconds{job="api"}', threshold: 0.25, native: true } },
          },
          {
            name: 'grpc',
            objective: 99.5,
            sli: {
              query: {
                errors: 'sum(rate(grpc_server_handled_total{job="api",grpc_code!="OK"}[$window]))',
                total: 'sum(rate(grpc_server_handled_total{job="api"}[$window]))',
              },
            },
          },
          {
            name: 'satisfaction',
            objective: 95,
            sli: {
              query: {
                errors: 'sum_over_time((count(wifi_client_satisfaction < 0.75))[$window:]) or on() vector(0)',
                total: 'sum_over_time((count(wifi_client_satisfaction))[$window:])',
              },
            },
          },
          {
            name: 'probe',
            objective: 99.5,
            alerting: { ticket: false },
            sli: { boolGauge: { series: 'probe_success{job="blackbox",instance="https://shop.example"}' } },
          },
        ],
      },
    ],
    ...(grafana ? { grafana } : {}),
  });
}
