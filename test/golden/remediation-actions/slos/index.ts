// Remediations of each action kind with their guard rails, started by an SLO's page and ticket
// tiers, by a threshold, and by a no-data alert of their own: actions.json, the alerts' remediation
// labels and the routes to the receiver.
import { grafana, team } from '../../team.js';
import { receiverThresholds } from 'sloforge';

export default {
  teams: [team],
  grafana,
  services: [
    {
      name: 'workflows',
      team: 'payments',
      slos: [
        {
          name: 'executions',
          objective: 99.5,
          sli: {
            ratio: { errors: 'workflow_executions_total{job="worker",status="failed"}', total: 'workflow_executions_total{job="worker"}' },
          },
          alerting: { remediation: 'scale-workers', remediationTiers: ['page', 'ticket'], noData: { remediation: 'restart-exporter' } },
        },
      ],
      thresholds: [
        {
          name: 'stuck-documents',
          expr: 'max(pipeline_stuck_documents{job="pipeline"})',
          warning: 10,
          critical: 50,
          for: '5m',
          remediation: 'requeue-stuck',
        },
      ],
    },
    { name: 'sloforge-receiver', team: 'payments', thresholds: receiverThresholds({ job: 'sloforge-receiver' }) },
  ],
  remediations: [
    {
      name: 'scale-workers',
      description: 'Add workers while executions fail',
      cooldown: '15m',
      maxPerHour: 2,
      action: {
        kubernetesScale: {
          apiServer: 'https://kubernetes.default.svc',
          namespace: 'automation',
          deployment: 'worker',
          factor: 1.5,
          maxReplicas: 24,
        },
      },
    },
    {
      name: 'restart-exporter',
      dryRun: true,
      action: {
        http: {
          url: 'http://exporter-admin.automation:8080/restart',
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: { alert: '{{fingerprint}}', severity: '{{labels.severity}}' },
          timeout: '5s',
          retries: 2,
          retryBackoff: '1s',
        },
      },
    },
    {
      name: 'requeue-stuck',
      cooldown: '30m',
      maxConcurrent: 1,
      onResolved: true,
      retryInterrupted: true,
      action: {
        command: {
          argv: ['/usr/local/bin/pipeline-admin', 'requeue-stuck', '--older-than', '15m'],
          env: { PIPELINE_ALERT: '{{labels.alertname}}' },
          timeout: '2m',
        },
      },
    },
  ],
  alertmanager: {
    remediation: { url: 'http://sloforge-receiver:9095/alerts', credentialsFile: '/etc/alertmanager/secrets/sloforge-receiver-token' },
  },
};
