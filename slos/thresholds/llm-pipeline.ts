import { defineThresholds } from 'sloforge';

// The LLM pipeline's token budget: 1,000,000 tokens a day.
const DAILY_TOKENS = 1_000_000;
const tokensToday = 'sum(increase(llm_pipeline_tokens_total{job="llm-pipeline"}[1d]))';

export const llmPipelineThresholds = defineThresholds([
  {
    name: 'token-budget',
    expr: `${tokensToday} / ${DAILY_TOKENS} * 100`,
    warning: 80,
    critical: 95,
    for: '5m',
    unit: 'percent',
    description: `Tokens used over the last 24 hours, as a share of the ${DAILY_TOKENS.toLocaleString('en')} daily budget`,
    runbook: 'https://runbooks.example.com/llm-pipeline/tokens',
  },
  {
    name: 'token-forecast',
    predict: { series: tokensToday, window: '1h', horizon: '4h' },
    critical: DAILY_TOKENS,
    for: '10m',
    unit: 'tokens',
    description: 'At the current rate the daily token budget runs out within 4 hours',
  },
]);
