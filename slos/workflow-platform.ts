import { defineService } from 'sloforge';
import { workflowPlatformThresholds } from './thresholds/workflow-platform.js';

// A workflow-automation platform: workflow runs, inbound webhooks, AI-agent steps, its public
// API and its database. Measured over 28 days to line up with four-week planning cycles.
export const workflowPlatform = defineService({
  name: 'workflow-platform',
  team: 'automation',
  labels: { tier: '1' },
  slos: [
    {
      name: 'executions',
      objective: 99.95,
      period: '28d',
      description: 'Workflow executions finish successfully (runs cancelled by their user do not count)',
      // PromQL with a $window placeholder: sloforge writes it once per alert window.
      sli: {
        query: {
          errors: 'sum(rate(workflow_executions_total{job="workflow-worker",status=~"failed|crashed"}[$window]))',
          total: 'sum(rate(workflow_executions_total{job="workflow-worker",status!="cancelled"}[$window]))',
        },
      },
      alerting: { runbook: 'https://runbooks.example.com/workflow/executions' },
    },
    {
      name: 'webhook-latency',
      objective: 99,
      period: '28d',
      description: 'Inbound webhooks are handled within 1 s',
      sli: { latency: { histogram: 'workflow_webhook_duration_seconds{job="workflow-webhooks"}', threshold: 1 } },
    },
    {
      name: 'ai-agent-latency',
      objective: 95,
      period: '28d',
      description: 'AI-agent calls answer within 5 s',
      sli: { latency: { histogram: 'workflow_ai_agent_call_duration_seconds{job="workflow-worker"}', threshold: 5 } },
    },
    {
      name: 'api-availability',
      objective: 99.9,
      period: '28d',
      description: 'Every API route serves without 5xx',
      // One SLI and one burn-rate alert per route: a broken route pages even while the busy
      // ones keep the service-wide ratio low.
      groupBy: ['route'],
      sli: {
        ratio: {
          errors: 'http_requests_total{job="workflow-api",code=~"5.."}',
          total: 'http_requests_total{job="workflow-api"}',
        },
      },
    },
    {
      name: 'api-latency',
      objective: 99,
      period: '28d',
      description: 'API calls complete within 200 ms',
      sli: { latency: { histogram: 'http_request_duration_seconds{job="workflow-api"}', threshold: 0.2 } },
    },
    {
      name: 'db-latency',
      objective: 99,
      period: '28d',
      description: 'Database queries complete within 100 ms',
      sli: { latency: { histogram: 'workflow_db_query_duration_seconds{job="workflow-api"}', threshold: 0.1 } },
    },
  ],
  thresholds: workflowPlatformThresholds,
});
