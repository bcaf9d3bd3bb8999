import { defineService } from 'sloforge';
import { checkoutThresholds } from './thresholds/http-api.js';

// A public HTTP API watched through the four golden signals: availability and latency are
// SLOs; traffic and saturation are thresholds. A blackbox probe of the storefront adds the
// view from outside.
export const checkout = defineService({
  name: 'checkout',
  team: 'payments',
  labels: { tier: '1' },
  slos: [
    {
      name: 'availability',
      objective: 99.9,
      period: '30d',
      description: 'Checkout API requests succeed (no 5xx)',
      sli: {
        ratio: {
          errors: 'http_requests_total{job="checkout",code=~"5.."}',
          total: 'http_requests_total{job="checkout"}',
        },
      },
      alerting: { runbook: 'https://runbooks.example.com/checkout/availability', remediation: 'restart-checkout' },
    },
    {
      name: 'latency',
      objective: 99,
      period: '30d',
      description: '99% of checkout API requests complete within 200 ms (p99 under 200 ms)',
      sli: { latency: { histogram: 'http_request_duration_seconds{job="checkout"}', threshold: 0.2 } },
      alerting: { runbook: 'https://runbooks.example.com/checkout/latency' },
    },
    {
      name: 'storefront-probe',
      objective: 99.5,
      period: '30d',
      description: 'The storefront answers the blackbox probe',
      // A 0/1 gauge, 1 good: every probe is one event.
      sli: { boolGauge: { series: 'probe_success{job="blackbox",instance="https://shop.example.com/"}' } },
      // A failing probe pages; slow drifts already open tickets through the availability SLO,
      // which sees every request, so this one does not ticket as well.
      alerting: { runbook: 'https://runbooks.example.com/checkout/storefront-probe', ticket: false },
    },
  ],
  thresholds: checkoutThresholds,
});
