import { defineTeam } from 'sloforge';

// Who gets paged (critical) and who gets a ticket (warning), per team. Secrets are files on the
// Alertmanager host; see docs/alertmanager.md for every receiver kind and option.
export const teams = [
  defineTeam({
    name: 'payments',
    page: { pagerduty: { routingKeyFile: '/etc/alertmanager/secrets/payments-pagerduty' } },
    ticket: { slack: { apiUrlFile: '/etc/alertmanager/secrets/slack-webhook', channel: '#payments-alerts' } },
    // Warnings wait for the working day (08:00-18:00 in Berlin in winter); pages do not. In UTC,
    // because the AlertmanagerConfigs in generated/kubernetes/ cannot carry a time zone.
    businessHours: [{ weekdays: ['monday:friday'], times: [{ start: '07:00', end: '17:00' }], location: 'UTC' }],
  }),
  defineTeam({
    name: 'automation',
    page: { opsgenie: { apiKeyFile: '/etc/alertmanager/secrets/automation-opsgenie' } },
    ticket: {
      email: {
        to: 'automation-oncall@example.com',
        from: 'alertmanager@example.com',
        smarthost: 'smtp.example.com:587',
        authUsername: 'alertmanager',
        authPasswordFile: '/etc/alertmanager/secrets/smtp-password',
      },
    },
    // The database is patched on the first Sunday morning of each month.
    maintenance: [{ weekdays: ['sunday'], daysOfMonth: ['1:7'], times: [{ start: '02:00', end: '04:00' }], location: 'UTC' }],
    routing: { page: { groupWait: '15s', repeatInterval: '2h' } },
  }),
  defineTeam({
    name: 'ml-platform',
    page: {
      pagerduty: { routingKeyFile: '/etc/alertmanager/secrets/ml-pagerduty' },
      slack: { apiUrlFile: '/etc/alertmanager/secrets/slack-webhook', channel: '#ml-platform-alerts' },
    },
    ticket: {
      webex: { roomId: 'Y2lzY29zcGFyazovL3VzL1JPT00vbWwtcGxhdGZvcm0', credentialsFile: '/etc/alertmanager/secrets/ml-webex-bot-token' },
    },
  }),
];
