// The one team every golden case pages and tickets: the cases differ in what they compile, not
// in who hears it.
export const team = {
  name: 'payments',
  page: { pagerduty: { routingKeyFile: '/run/secrets/payments-pagerduty' } },
  ticket: { slack: { apiUrlFile: '/run/secrets/slack-webhook', channel: '#payments-alerts' } },
};

/** Set so the cases compile without the warnings an unset URL gives. */
export const grafana = { url: 'https://grafana.example.com', datasource: { url: 'http://prometheus.monitoring:9090' } };
