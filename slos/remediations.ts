import { defineRemediation } from 'sloforge';

// Actions the remediation receiver may run when an alert names them (label remediation="...").
// Secrets are file paths, read by the receiver when the action runs.
export const remediations = [
  defineRemediation({
    name: 'restart-checkout',
    description: 'Ask the checkout admin endpoint to recycle its workers',
    cooldown: '10m',
    maxPerHour: 3,
    action: {
      http: {
        // The local stack's demo workload (docker-compose.yml); point it at your checkout admin API.
        url: 'http://demo-workload:8080/admin/restart',
        method: 'POST',
        headerFiles: { Authorization: '/etc/sloforge/secrets/checkout-admin-authorization' },
        body: {
          reason: 'SLO {{labels.slo}} of {{labels.service}} is burning its error budget',
          alert: '{{fingerprint}}',
          severity: '{{labels.severity}}',
        },
        timeout: '5s',
        retries: 3,
        retryBackoff: '2s',
      },
    },
  }),
  defineRemediation({
    name: 'scale-workflow-workers',
    description: 'Add workflow workers while executions are failing or queueing',
    cooldown: '15m',
    maxPerHour: 2,
    // The local stack has no Kubernetes API: it records what it would do. Set false in a cluster
    // whose receiver runs with a service account allowed to patch deployments/scale.
    dryRun: true,
    action: {
      kubernetesScale: {
        apiServer: 'https://kubernetes.default.svc',
        namespace: 'automation',
        deployment: 'workflow-worker',
        tokenFile: '/var/run/secrets/kubernetes.io/serviceaccount/token',
        caFile: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
        factor: 1.5,
        maxReplicas: 24,
      },
    },
  }),
  defineRemediation({
    name: 'drain-llm-queue',
    description: 'Move stuck pipeline documents to the retry queue; tell the script when it resolves',
    cooldown: '30m',
    onResolved: true,
    dryRun: true,
    action: {
      command: {
        argv: ['/usr/local/bin/llm-pipeline-admin', 'requeue-stuck', '--older-than', '15m'],
        env: { PIPELINE_STAGE: '{{labels.stage}}' },
        timeout: '2m',
      },
    },
  }),
];
