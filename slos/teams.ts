import { defineTeam } from 'sloforge';

// Who gets paged (critical) and who gets a ticket (warning), per team.
export const teams = [
  defineTeam({
    name: 'payments',
    page: { pagerduty: { routingKeyFile: '/etc/alertmanager/secrets/payments-pagerduty' } },
    ticket: { slack: { apiUrlFile: '/etc/alertmanager/secrets/slack-webhook', channel: '#payments-alerts' } },
  }),
  defineTeam({
    name: 'automation',
    page: { opsgenie: { apiKeyFile: '/etc/alertmanager/secrets/automation-opsgenie' } },
    ticket: { email: { to: 'automation-oncall@example.com', from: 'alertmanager@example.com', smarthost: 'smtp.example.com:587', authUsername: 'alertmanager', authPasswordFile: '/etc/alertmanager/secrets/smtp-password' } },
  }),
  defineTeam({
    name: 'ml-platform',
    page: { pagerduty: { routingKeyFile: '/etc/alertmanager/secrets/ml-pagerduty' } },
    ticket: { slack: { apiUrlFile: '/etc/alertmanager/secrets/slack-webhook', channel: '#ml-platform-alerts' } },
  }),
];
