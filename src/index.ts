// Public API for users' slos/*.ts files and for tools built on sloforge.
export { defineConfig, defineService, defineTeam, defineRemediation, defineThresholds, receiverThresholds } from './config/define.js';
export type { ReceiverMonitoringOptions } from './config/receiver-thresholds.js';
export type { ServiceInput, SloInput, ThresholdInput, RemediationInput, TeamInput } from './config/define.js';
export type { Config, ConfigInput, Service, Slo, Threshold, Remediation, Team } from './config/schema/config.js';
export { validateConfig } from './config/validate.js';
export { compile } from './compile.js';
export type { Artifact } from './output/artifact.js';
