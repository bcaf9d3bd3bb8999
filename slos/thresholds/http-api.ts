import { defineThresholds } from 'sloforge';

// The checkout API's hand-written monitors: saturation, errors and slow requests.
export const checkoutThresholds = defineThresholds([
  {
    name: 'cpu',
    expr: 'avg(rate(process_cpu_seconds_total{job="checkout"}[5m])) * 100',
    warning: 70,
    critical: 85,
    for: '10m',
    unit: 'percent',
    description: 'Checkout processes use most of their CPU',
    runbook: 'https://runbooks.example.com/checkout/cpu',
  },
  {
    name: 'memory',
    expr:
      'sum(container_memory_working_set_bytes{namespace="shop",container="checkout"})\n' +
      '/\nsum(kube_pod_container_resource_limits{namespace="shop",container="checkout",resource="memory"})\n* 100',
    warning: 75,
    critical: 90,
    for: '10m',
    unit: 'percent',
    description: 'Checkout containers are close to their memory limit',
  },
  {
    name: 'heap',
    expr: 'sum(nodejs_heap_size_used_bytes{job="checkout"}) / sum(nodejs_heap_size_total_bytes{job="checkout"}) * 100',
    critical: 90,
    for: '5m',
    unit: 'percent',
    description: 'The checkout heap is nearly full',
    remediation: 'restart-checkout',
  },
  {
    name: 'error-rate',
    ratio: { numerator: 'http_requests_total{job="checkout",code=~"5.."}', denominator: 'http_requests_total{job="checkout"}' },
    warning: 1,
    critical: 5,
    for: '10m',
    keepFiringFor: '5m',
    unit: 'percent',
    description: 'Checkout answers with server errors',
    runbook: 'https://runbooks.example.com/checkout/errors',
  },
  {
    name: 'slow-requests',
    ratio: { histogram: 'http_request_duration_seconds{job="checkout"}', slowerThan: 1 },
    warning: 5,
    for: '10m',
    unit: 'percent',
    description: 'More than 5% of checkout requests take over 1,000 ms',
  },
  {
    name: 'p99-latency',
    percentile: { histogram: 'http_request_duration_seconds{job="checkout"}', quantile: 0.99 },
    warning: 0.5,
    critical: 1,
    for: '10m',
    unit: 'seconds',
    description: 'The slowest 1% of checkout requests are slow',
  },
]);
