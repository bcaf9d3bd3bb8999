// generated/remediation/actions.json: the remediations with every default resolved and every
// duration in milliseconds, so the receiver needs no knowledge of the SLO config. Secrets appear
// only as file paths. Each remediation lists the alerts allowed to start it: a `remediation`
// label alone is not trusted, since any series or any other rule could carry one.
import { z } from 'zod';

export const ACTIONS_FILE_VERSION = 2;
export const ACTIONS_PATH = 'remediation/actions.json';

const ms = z.number().int().min(0);

const httpSpec = z.object({
  url: z.string(),
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
  headers: z.record(z.string(), z.string()),
  headerFiles: z.record(z.string(), z.string()),
  body: z.unknown().optional(),
  timeoutMs: ms,
  retries: z.number().int().min(0),
  retryBackoffMs: ms,
});

const kubernetesScaleSpec = z.object({
  apiServer: z.string(),
  namespace: z.string(),
  deployment: z.string(),
  tokenFile: z.string().optional(),
  caFile: z.string().optional(),
  increment: z.number().int().optional(),
  factor: z.number().optional(),
  maxReplicas: z.number().int().min(1),
  timeoutMs: ms,
});

const commandSpec = z.object({
  argv: z.array(z.string()).min(1),
  env: z.record(z.string(), z.string()),
  timeoutMs: ms,
});

/** One alert that may start a remediation: its labels must equal these exactly (absent = ""). */
export const trigger = z.object({
  alertname: z.string().min(1),
  service: z.string().min(1),
  slo: z.string().optional(),
  threshold: z.string().optional(),
});

export const resolvedRemediation = z.object({
  name: z.string(),
  description: z.string().optional(),
  cooldownMs: ms,
  maxConcurrent: z.number().int().min(1),
  maxPerHour: z.number().int().min(1),
  dryRun: z.boolean(),
  onResolved: z.boolean(),
  retryInterrupted: z.boolean(),
  /** The alerts that declared this remediation; no other alert may start it. */
  triggers: z.array(trigger),
  action: z.union([
    z.object({ kind: z.literal('http'), http: httpSpec }),
    z.object({ kind: z.literal('kubernetesScale'), kubernetesScale: kubernetesScaleSpec }),
    z.object({ kind: z.literal('command'), command: commandSpec }),
  ]),
});

export const actionsFile = z.object({
  version: z.literal(ACTIONS_FILE_VERSION, {
    error: `unsupported version (this receiver reads version ${ACTIONS_FILE_VERSION}; regenerate with the same sloforge)`,
  }),
  generatedBy: z.string(),
  remediations: z.array(resolvedRemediation),
});

export type ResolvedRemediation = z.infer<typeof resolvedRemediation>;
export type Trigger = z.infer<typeof trigger>;
export type ActionsFile = z.infer<typeof actionsFile>;
export type HttpSpec = z.infer<typeof httpSpec>;
export type KubernetesScaleSpec = z.infer<typeof kubernetesScaleSpec>;
export type CommandSpec = z.infer<typeof commandSpec>;
