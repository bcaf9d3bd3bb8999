import { z } from 'zod';
import { duration, filePath, name, positiveDuration, url } from './common.js';
import { templateProblems } from '../template-syntax.js';
import type { BodyTemplate } from '../public-types.js';

const template = z.string().superRefine((s, ctx) => {
  for (const message of templateProblems(s)) ctx.addIssue({ code: 'custom', message });
});
const bodyTemplate: z.ZodType<BodyTemplate> = z.lazy(() =>
  z.union([template, z.number(), z.boolean(), z.null(), z.array(bodyTemplate), z.record(z.string(), bodyTemplate)]),
);

// Headers that carry credentials: only allowed from files, so generated/ never holds a secret.
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'x-api-key', 'x-auth-token']);

// Query parameter names that usually carry a credential, matched word by word (api_key, apiKey,
// access_token, X-Amz-Signature, sig, ...).
const SECRET_WORDS = new Set([
  'token',
  'secret',
  'password',
  'passwd',
  'pwd',
  'key',
  'apikey',
  'auth',
  'authorization',
  'signature',
  'sig',
  'credential',
  'credentials',
  'session',
  'sessionid',
  'jwt',
  'bearer',
  'private',
  'privatekey',
]);
const words = (name: string): string[] =>
  name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);

/**
 * A URL lands in generated/, in the receiver's actions file and (redacted) in its audit trail:
 * credentials in it, as user:password@ or as a query parameter, belong in a header file.
 */
const secretFreeUrl = url.superRefine((s, ctx) => {
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return;
  }
  if (u.username !== '' || u.password !== '') {
    ctx.addIssue({
      code: 'custom',
      message:
        "holds credentials (user:password@host), which would be written into generated/; send them in a header read from a file: headerFiles: { Authorization: '/path/to/file' }",
    });
  }
  for (const name of new Set(u.searchParams.keys())) {
    if (words(name).some((w) => SECRET_WORDS.has(w))) {
      ctx.addIssue({
        code: 'custom',
        message: `query parameter "${name}" looks like a secret, which would be written into generated/; send it in a header read from a file (headerFiles) instead`,
      });
    }
  }
});

const HEADER_NAME_RE = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
const headerName = z.string().regex(HEADER_NAME_RE);
// zod reports a bad record key as "Invalid key in record"; say what a valid key is instead.
const keyError = (message: string) => ({ error: (iss: { code?: string }) => (iss.code === 'invalid_key' ? message : undefined) });
const headerMap = <T extends z.ZodType>(value: T) => z.record(headerName, value, keyError('is not a valid HTTP header name'));

export const httpAction = z.strictObject({
  url: secretFreeUrl,
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).optional(),
  /** Header name to a file whose content is the header value (tokens stay out of the config). */
  headerFiles: headerMap(filePath).optional(),
  headers: headerMap(z.string())
    .optional()
    .superRefine((headers, ctx) => {
      for (const name of Object.keys(headers ?? {})) {
        if (SECRET_HEADERS.has(name.toLowerCase())) {
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message: `would put a secret into generated/; give it in headerFiles: { ${JSON.stringify(name)}: '/path/to/file' }`,
          });
        }
      }
    }),
  /** JSON body; string values may use {{labels.NAME}}, {{annotations.NAME}}, {{status}}, ... */
  body: bodyTemplate.optional(),
  timeout: positiveDuration.optional(),
  retries: z.number().int().min(0).max(10).optional(),
  /** First wait before a retry; it doubles on each further attempt. */
  retryBackoff: positiveDuration.optional(),
});

export const kubernetesScaleAction = z
  .strictObject({
    /** Kubernetes API server, e.g. https://kubernetes.default.svc */
    apiServer: secretFreeUrl,
    namespace: name,
    deployment: name,
    /** Service-account token file, e.g. /var/run/secrets/kubernetes.io/serviceaccount/token */
    tokenFile: filePath.optional(),
    /** CA bundle to trust for the API server's TLS certificate. */
    caFile: filePath.optional(),
    /** Add this many replicas. Give `increment` or `factor`, not both. */
    increment: z.number().int().min(1).optional(),
    /** Multiply replicas by this (rounded up). */
    factor: z.number().gt(1, { error: 'must be above 1' }).max(10).optional(),
    maxReplicas: z.number().int().min(1),
    timeout: positiveDuration.optional(),
  })
  .superRefine((v, ctx) => {
    if ((v.increment === undefined) === (v.factor === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['increment'], message: 'give exactly one of `increment` or `factor`' });
    }
  });

const ENV_NAME_RE = /^[A-Z_][A-Z0-9_]*$/;

export const commandAction = z.strictObject({
  /** Program and arguments, run without a shell. Arguments are fixed text: alert data never enters them. */
  argv: z.array(z.string().min(1), { error: 'must be a list of strings' }).min(1, { error: 'must name a program' }),
  /** Extra environment variables, each a template over alert fields ({{labels.service}}). */
  env: z.record(z.string().regex(ENV_NAME_RE), template, keyError('environment names must match [A-Z_][A-Z0-9_]*')).optional(),
  timeout: positiveDuration.optional(),
});

// One key per action kind, as for SLIs, so an error inside a kind names its field.
export const remediationAction = z
  .strictObject({
    http: httpAction.optional(),
    kubernetesScale: kubernetesScaleAction.optional(),
    command: commandAction.optional(),
  })
  .refine((a) => Object.values(a).filter((v) => v !== undefined).length === 1, {
    error: 'must have exactly one kind: { http }, { kubernetesScale } or { command }',
  });

export const remediation = z.strictObject({
  name,
  description: z.string().optional(),
  /** Least time between two runs (default 5m). */
  cooldown: duration.optional(),
  /** Runs at once (default 1); further alerts wait in the queue. */
  maxConcurrent: z.number().int().min(1).max(100).optional(),
  /** Runs in any hour (default 6); beyond it the receiver stops running it and reports, to break loops. */
  maxPerHour: z.number().int().min(1).max(1000).optional(),
  /** Record what would run without running it. */
  dryRun: z.boolean().optional(),
  /** Run the action when the alert resolves too (default: only when it fires). */
  onResolved: z.boolean().optional(),
  /**
   * Run an action again when the receiver died while it ran (default false: its outcome is
   * unknown, so it is audited as interrupted and not repeated). Set it only for idempotent actions.
   */
  retryInterrupted: z.boolean().optional(),
  action: remediationAction,
});
