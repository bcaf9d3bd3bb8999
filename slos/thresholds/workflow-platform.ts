import { defineThresholds, type ThresholdInput } from 'sloforge';

// The workflow platform's hand-written monitors: queue, processing time, errors, cache, slow
// dependencies, a forecast of the queue and an anomaly on execution traffic.
const slow = (name: string, histogram: string, seconds: number, what: string): ThresholdInput => ({
  name,
  ratio: { histogram, slowerThan: seconds },
  warning: 5,
  for: '10m',
  unit: 'percent',
  description: `More than 5% of ${what} take over ${seconds * 1000} ms`,
});

export const workflowPlatformThresholds = defineThresholds([
  {
    name: 'queue-depth',
    expr: 'workflow_queue_pending_jobs{job="workflow-worker",queue="executions"}',
    warning: 100,
    critical: 500,
    for: '5m',
    unit: 'jobs',
    description: 'Workflow executions wait in the queue',
    remediation: 'scale-workflow-workers',
  },
  {
    name: 'queue-forecast',
    predict: { series: 'workflow_queue_pending_jobs{job="workflow-worker",queue="executions"}', window: '30m', horizon: '1h' },
    warning: 500,
    for: '5m',
    unit: 'jobs',
    description: 'At its current growth the execution queue reaches 500 jobs within the hour',
  },
  {
    name: 'processing-time',
    expr:
      'sum(rate(workflow_execution_duration_seconds_sum{job="workflow-worker"}[5m]))\n' +
      '/\nsum(rate(workflow_execution_duration_seconds_count{job="workflow-worker"}[5m]))',
    critical: 5,
    for: '10m',
    unit: 'seconds',
    description: 'Workflow executions take more than 5 s on average',
  },
  {
    name: 'error-rate',
    ratio: {
      numerator: 'workflow_executions_total{job="workflow-worker",status=~"failed|crashed"}',
      denominator: 'workflow_executions_total{job="workflow-worker"}',
    },
    critical: 5,
    for: '10m',
    unit: 'percent',
    description: 'More than 5% of workflow executions fail',
    runbook: 'https://runbooks.example.com/workflow/executions',
  },
  {
    name: 'cache-hit-rate',
    ratio: {
      numerator: 'workflow_cache_requests_total{job="workflow-api",result="hit"}',
      denominator: 'workflow_cache_requests_total{job="workflow-api"}',
    },
    direction: 'below',
    warning: 30,
    for: '15m',
    unit: 'percent',
    description: 'The workflow cache answers less than 30% of lookups',
  },
  slow('slow-http', 'http_request_duration_seconds{job="workflow-api"}', 1, 'API requests'),
  slow('slow-db', 'workflow_db_query_duration_seconds{job="workflow-api"}', 0.5, 'database queries'),
  slow('slow-cache', 'workflow_cache_operation_duration_seconds{job="workflow-api"}', 0.1, 'cache operations'),
  slow('slow-external', 'workflow_external_call_duration_seconds{job="workflow-worker"}', 2, 'external calls'),
  {
    name: 'execution-anomaly',
    anomaly: { series: 'sum(rate(workflow_executions_total{job="workflow-worker"}[5m]))', baseline: '1d' },
    warning: 3,
    critical: 4,
    for: '15m',
    description: 'Workflow execution traffic left its usual range',
  },
]);
