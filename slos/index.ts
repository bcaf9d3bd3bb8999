// The SLOs of the systems sloforge replaces. `npx sloforge generate` compiles this file.
import { defineConfig } from 'sloforge';
import { teams } from './teams.js';
import { remediations } from './remediations.js';
import { checkout } from './http-api.js';
import { workflowPlatform } from './workflow-platform.js';
import { llmPipeline } from './llm-pipeline.js';

export default defineConfig({
  teams,
  services: [checkout, workflowPlatform, llmPipeline],
  remediations,
});
