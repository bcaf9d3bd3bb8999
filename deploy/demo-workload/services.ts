// The simulated systems behind the example SLOs in slos/. Each one has its own registry, served
// at /metrics/<job> and scraped as that job, so the metric names, labels and `le` bounds are
// exactly what the SLO selectors read (`job` comes from Prometheus' scrape config).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { encodeFamilies, NativeHistogram, PROTOBUF_CONTENT_TYPE } from './native-histogram.js';

/** What one simulated request turned out to be. */
export interface Outcome {
  failed: boolean;
  slow: boolean;
}

/** A scrape body the service writes itself, in a format prom-client does not speak. */
export interface Exposition {
  contentType: string;
  body: Buffer;
}

export interface SimulatedService {
  /** The scrape job the SLO selectors name. */
  job: string;
  registry: Registry;
  /**
   * For a job whose metrics prom-client cannot expose (a native histogram): the protobuf body
   * Prometheus asks for with native histograms on. The registry then stays empty.
   */
  protobuf?: () => Exposition;
  /** Healthy shares: comfortably inside every SLO's budget. */
  baseline: { errorRate: number; slowRate: number };
  record(outcome: Outcome, random: () => number): void;
}

/** A latency inside (fast) or beyond (slow) an SLO bound, spread so that several buckets fill. */
export function latency(bound: number, slow: boolean, random: () => number): number {
  return slow ? bound * (1.2 + 1.8 * random()) : bound * (0.1 + 0.8 * random());
}

const pick = <T>(items: readonly T[], random: () => number): T => items[Math.floor(random() * items.length) % items.length]!;

/** An HTTP API's request counter and latency histogram; returns how to record one request. */
function httpApi(registry: Registry, routes: readonly string[], buckets: number[], bound: number) {
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests served',
    labelNames: ['route', 'code'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames: ['route'],
    buckets,
    registers: [registry],
  });
  // Every series exists from the first scrape, so the first errors are counted by rate().
  for (const route of routes) for (const code of ['200', '500']) requests.labels(route, code).inc(0);
  return (o: Outcome, random: () => number) => {
    const route = pick(routes, random);
    requests.labels(route, o.failed ? '500' : '200').inc();
    duration.labels(route).observe(latency(bound, o.slow, random));
  };
}

function checkout(): SimulatedService {
  const registry = new Registry();
  // process_cpu_seconds_total and friends: inputs for threshold alerts such as the CPU example.
  collectDefaultMetrics({ register: registry });
  // What cAdvisor and kube-state-metrics would report for the checkout container, so the memory
  // threshold (and its no-data alert) has its inputs without a Kubernetes cluster.
  const labels = { namespace: 'shop', container: 'checkout' };
  new Gauge({
    name: 'container_memory_working_set_bytes',
    help: 'Simulated container working set',
    labelNames: ['namespace', 'container'],
    registers: [registry],
  }).set(labels, 310 * 2 ** 20);
  new Gauge({
    name: 'kube_pod_container_resource_limits',
    help: 'Simulated container resource limits',
    labelNames: ['namespace', 'container', 'resource'],
    registers: [registry],
  }).set({ ...labels, resource: 'memory' }, 2 ** 30);
  const record = httpApi(registry, ['/cart', '/checkout', '/payment'], [0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2.5, 5], 0.2);
  return { job: 'checkout', registry, baseline: { errorRate: 0.0002, slowRate: 0.003 }, record };
}

function workflowWorker(): SimulatedService {
  const registry = new Registry();
  const executions = new Counter({
    name: 'workflow_executions_total',
    help: 'Workflow executions by final status',
    labelNames: ['status'],
    registers: [registry],
  });
  const agent = new Histogram({
    name: 'workflow_ai_agent_call_duration_seconds',
    help: 'AI-agent step latency',
    buckets: [0.5, 1, 2.5, 5, 10, 20],
    registers: [registry],
  });
  // Inputs of the example threshold alerts (queue depth and forecast, processing time, slow calls).
  const pending = new Gauge({
    name: 'workflow_queue_pending_jobs',
    help: 'Jobs waiting per queue',
    labelNames: ['queue'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'workflow_execution_duration_seconds',
    help: 'Workflow execution time',
    buckets: [0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const external = new Histogram({
    name: 'workflow_external_call_duration_seconds',
    help: 'Calls to external services',
    buckets: [0.25, 0.5, 1, 2, 5, 10],
    registers: [registry],
  });
  for (const status of ['success', 'failed', 'crashed']) executions.labels(status).inc(0);
  // Slow executions pile up in the queue; fast ones drain it back to a small backlog.
  let backlog = 5;
  pending.labels('executions').set(backlog);
  return {
    job: 'workflow-worker',
    registry,
    baseline: { errorRate: 0.0001, slowRate: 0.003 },
    record(o, random) {
      executions.labels(o.failed ? pick(['failed', 'crashed'], random) : 'success').inc();
      agent.observe(latency(5, o.slow, random));
      duration.observe(latency(5, o.slow, random));
      external.observe(latency(2, o.slow, random));
      backlog = o.slow ? backlog + 1 : Math.max(5, backlog - 1);
      pending.labels('executions').set(backlog);
    },
  };
}

function workflowWebhooks(): SimulatedService {
  const registry = new Registry();
  const webhooks = new Histogram({
    name: 'workflow_webhook_duration_seconds',
    help: 'Inbound webhook handling latency',
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return {
    job: 'workflow-webhooks',
    registry,
    baseline: { errorRate: 0, slowRate: 0.003 },
    record(o, random) {
      webhooks.observe(latency(1, o.slow, random));
    },
  };
}

function workflowApi(): SimulatedService {
  const registry = new Registry();
  const request = httpApi(registry, ['/api/workflows', '/api/executions'], [0.025, 0.05, 0.1, 0.2, 0.5, 1], 0.2);
  const queries = new Histogram({
    name: 'workflow_db_query_duration_seconds',
    help: 'Database query latency',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [registry],
  });
  // Inputs of the example threshold alerts (cache hit rate, slow cache operations).
  const cache = new Counter({
    name: 'workflow_cache_requests_total',
    help: 'Cache lookups by result',
    labelNames: ['result'],
    registers: [registry],
  });
  const cacheOps = new Histogram({
    name: 'workflow_cache_operation_duration_seconds',
    help: 'Cache operation latency',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
    registers: [registry],
  });
  for (const result of ['hit', 'miss']) cache.labels(result).inc(0);
  return {
    job: 'workflow-api',
    registry,
    baseline: { errorRate: 0.0002, slowRate: 0.003 },
    record(o, random) {
      request(o, random);
      queries.observe(latency(0.1, o.slow, random));
      cache.labels(random() < 0.8 ? 'hit' : 'miss').inc();
      cacheOps.observe(latency(0.1, o.slow, random));
    },
  };
}

/** Stage and its latency bound in seconds, as in slos/llm-pipeline.ts. */
const STAGES: ReadonlyArray<readonly [string, number]> = [
  ['preprocess', 1],
  ['classify', 2.5],
  ['decide', 5],
  ['extract', 10],
];

function llmPipeline(): SimulatedService {
  const registry = new Registry();
  const documents = new Counter({
    name: 'llm_pipeline_documents_total',
    help: 'Documents by outcome',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const stages = new Histogram({
    name: 'llm_pipeline_stage_duration_seconds',
    help: 'Time per pipeline stage',
    labelNames: ['stage'],
    buckets: [0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  // Input of the example token-budget threshold: at 20 documents/s, about 43% of 1M tokens a day.
  const tokens = new Counter({ name: 'llm_pipeline_tokens_total', help: 'Model tokens used', registers: [registry] });
  for (const outcome of ['success', 'failed']) documents.labels(outcome).inc(0);
  return {
    job: 'llm-pipeline',
    registry,
    baseline: { errorRate: 0.002, slowRate: 0.003 },
    record(o, random) {
      documents.labels(o.failed ? 'failed' : 'success').inc();
      tokens.inc(0.25);
      for (const [stage, bound] of STAGES) stages.labels(stage).observe(latency(bound, o.slow, random));
    },
  };
}

/**
 * A blackbox prober checking the storefront: probe_success is 1 while the probe passes, 0 when
 * it fails (an injected error share fails that share of probes).
 */
function blackbox(): SimulatedService {
  const registry = new Registry();
  const probe = new Gauge({
    name: 'probe_success',
    help: 'Whether the last probe succeeded',
    labelNames: ['instance'],
    registers: [registry],
  });
  const instance = 'https://shop.example.com/';
  probe.labels(instance).set(1);
  return {
    job: 'blackbox',
    registry,
    baseline: { errorRate: 0, slowRate: 0 },
    record(o) {
      probe.labels(instance).set(o.failed ? 0 : 1);
    },
  };
}

/** Model calls of the LLM pipeline, timed in a native histogram (served as protobuf only). */
function llmModels(): SimulatedService {
  const calls = new NativeHistogram('llm_model_call_duration_seconds', 'Model call latency');
  const models = ['classifier', 'extractor'];
  for (const model of models) calls.touch({ model });
  return {
    job: 'llm-models',
    registry: new Registry(),
    protobuf: () => ({ contentType: PROTOBUF_CONTENT_TYPE, body: encodeFamilies([calls]) }),
    baseline: { errorRate: 0, slowRate: 0.003 },
    record(o, random) {
      calls.observe({ model: pick(models, random) }, latency(2, o.slow, random));
    },
  };
}

export function simulatedServices(): SimulatedService[] {
  return [checkout(), workflowWorker(), workflowWebhooks(), workflowApi(), llmPipeline(), blackbox(), llmModels()];
}
