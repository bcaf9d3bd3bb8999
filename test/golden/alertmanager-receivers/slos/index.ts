// Every receiver kind, routing overrides, business hours and maintenance windows, rendered both
// as alertmanager.yml and as the Operator's AlertmanagerConfigs (`kubernetes`), so the two
// renderings of one set of receivers are pinned side by side.
import { grafana } from '../../team.js';

const sli = { ratio: { errors: 'jobs_total{job="worker",result="failed"}', total: 'jobs_total{job="worker"}', distinctMetrics: false } };

export default {
  teams: [
    {
      name: 'payments',
      page: {
        pagerduty: { routingKeyFile: '/s/pd', url: 'https://events.example.com/v2/enqueue' },
        opsgenie: { apiKeyFile: '/s/og', apiUrl: 'https://api.example.com/' },
      },
      ticket: { slack: { apiUrlFile: '/s/slack', channel: '#pay', username: 'sloforge' }, email: { to: 'pay@example.com' } },
      routing: { page: { groupWait: '5s' }, ticket: { repeatInterval: '12h' }, remediation: { groupWait: '0s' } },
      maintenance: [{ weekdays: ['saturday', 'sunday'], months: ['December'], years: ['2026:2027'], location: 'UTC' }],
      businessHours: [
        {
          weekdays: ['monday:friday'],
          times: [
            { start: '09:00', end: '12:30' },
            { start: '13:30', end: '17:45' },
          ],
          location: 'UTC',
        },
      ],
    },
    {
      name: 'automation',
      page: {
        webhook: { url: 'https://hooks.example.com/page', credentialsFile: '/s/hook', maxAlerts: 10 },
        webex: { roomId: 'room', credentialsFile: '/s/webex' },
      },
      ticket: { email: { to: 'automation@example.com', from: 'am@example.com', smarthost: 'smtp.example.com:25', requireTls: false } },
    },
  ],
  services: [
    { name: 'checkout', team: 'payments', slos: [{ name: 'jobs', objective: 99, sli, alerting: { remediation: 'restart' } }] },
    { name: 'worker', team: 'automation', slos: [{ name: 'jobs', objective: 99, sli }] },
  ],
  remediations: [{ name: 'restart', action: { http: { url: 'http://checkout-admin.shop:8080/restart' } } }],
  grafana,
  alertmanager: {
    remediation: { url: 'http://sloforge-receiver.monitoring:9095/alerts', credentialsFile: '/s/token' },
    routing: { page: { repeatInterval: '3h' } },
    smtp: { from: 'alertmanager@example.com', smarthost: 'smtp.example.com:587', authUsername: 'am', authPasswordFile: '/s/smtp' },
    resolveTimeout: '10m',
  },
  kubernetes: { namespace: 'monitoring', receiver: false },
};
