// Public API for users' slos/*.ts files and for tools built on sloforge.
export { defineConfig, defineService, defineTeam, defineRemediation, defineThresholds, receiverThresholds } from './config/define.js';
// Written-out types rather than ones inferred from the zod schemas: see public-types.ts.
export type { ReceiverMonitoringOptions } from './config/public-types.js';
export type { ServiceInput, SloInput, ThresholdInput, RemediationInput, TeamInput } from './config/public-types.js';
export type { Config, ConfigInput, Service, Slo, Threshold, Remediation, Team } from './config/public-types.js';
export { validateConfig } from './config/validate.js';
export { compile } from './compile.js';
export type { Artifact } from './output/artifact.js';
