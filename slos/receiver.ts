import { defineService, receiverThresholds } from 'sloforge';

// The remediation receiver runs the actions in remediations.ts. Its own alerts (down, failing
// actions, a remediation halted at its hourly cap, a disk that refuses its event log) go to the
// team that runs it; `job` is the receiver's scrape job (deploy/prometheus/prometheus.yml).
export const remediationReceiver = defineService({
  name: 'remediation-receiver',
  team: 'automation',
  slos: [],
  thresholds: receiverThresholds({ job: 'sloforge-receiver', runbook: 'https://runbooks.example.com/sloforge/receiver' }),
});
