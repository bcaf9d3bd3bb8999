import { defineService } from 'sloforge';
import { checkoutThresholds } from './thresholds/http-api.js';

// A public HTTP API watched through the four golden signals: availability and latency are
// SLOs; traffic and saturation are thresholds.
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
  ],
  thresholds: checkoutThresholds,
});
