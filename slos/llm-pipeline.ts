import { defineService, type SloInput } from 'sloforge';
import { llmPipelineThresholds } from './thresholds/llm-pipeline.js';

// An LLM document-processing pipeline: preprocess -> classify -> decide -> extract. Judged over
// a week, because its traffic and models change weekly.
const stage = (name: string, seconds: number): SloInput => ({
  name: `${name}-latency`,
  objective: 99,
  period: '7d',
  description: `The ${name} stage finishes within ${seconds} s`,
  sli: { latency: { histogram: `llm_pipeline_stage_duration_seconds{job="llm-pipeline",stage="${name}"}`, threshold: seconds } },
  // The stage label tells the requeue script which stage is stuck. Requeueing is cheap, so a
  // slow burn starts it too; people still get one notification (the page silences the ticket).
  alerting: { remediation: 'drain-llm-queue', remediationTiers: ['page', 'ticket'], labels: { stage: name } },
});

export const llmPipeline = defineService({
  name: 'llm-pipeline',
  team: 'ml-platform',
  slos: [
    {
      name: 'success',
      objective: 99,
      period: '7d',
      description: 'Documents go through every stage without failing',
      sli: {
        ratio: {
          good: 'llm_pipeline_documents_total{job="llm-pipeline",outcome="success"}',
          total: 'llm_pipeline_documents_total{job="llm-pipeline"}',
        },
      },
      alerting: { runbook: 'https://runbooks.example.com/llm-pipeline/success' },
    },
    {
      name: 'model-latency',
      objective: 99,
      period: '7d',
      description: 'Model calls answer within 2 s',
      // A native histogram: histogram_fraction() reads any threshold, bucket bound or not.
      sli: { latency: { histogram: 'llm_model_call_duration_seconds{job="llm-models"}', threshold: 2, native: true } },
    },
    stage('preprocess', 1),
    stage('classify', 2.5),
    stage('decide', 5),
    stage('extract', 10),
  ],
  thresholds: llmPipelineThresholds,
});
