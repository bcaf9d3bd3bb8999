// The SLOs of the systems sloforge replaces. `npx sloforge generate` compiles this file.
import { defineConfig } from 'sloforge';
import { teams } from './teams.js';
import { remediations } from './remediations.js';
import { checkout } from './http-api.js';
import { workflowPlatform } from './workflow-platform.js';
import { llmPipeline } from './llm-pipeline.js';
import { remediationReceiver } from './receiver.js';

export default defineConfig({
  teams,
  services: [checkout, workflowPlatform, llmPipeline, remediationReceiver],
  remediations,
  // Where responders open Grafana: alerts link to its dashboards. The local stack's address here;
  // a real deployment names its own (generate warns when this is left unset).
  // The datasource the dashboards read: the local stack's Prometheus, as Grafana reaches it.
  grafana: { url: 'http://localhost:3000', datasource: { url: 'http://prometheus:9090' } },
  // Where Alertmanager posts the alerts that name a remediation, and the token it sends: the local
  // stack's receiver and secret (docker-compose.yml); a real deployment names its own.
  alertmanager: {
    remediation: { url: 'http://sloforge-receiver:9095/alerts', credentialsFile: '/etc/alertmanager/secrets/sloforge-receiver-token' },
  },
  // Manifests for the Prometheus Operator under generated/kubernetes/ (docs/kubernetes.md):
  // kube-prometheus-stack's Prometheus selects PrometheusRules by its Helm release label.
  kubernetes: {
    namespace: 'monitoring',
    labels: { release: 'kube-prometheus-stack' },
    // An image with sloforge installed (docs/kubernetes.md shows how to build one).
    receiver: { image: 'registry.example.com/sloforge:0.1.0' },
  },
});
