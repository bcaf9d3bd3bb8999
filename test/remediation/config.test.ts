// Remediation config: validation messages and the compiled actions file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateConfig } from '../../src/config/validate.js';
import { ConfigError, formatProblems } from '../../src/config/errors.js';
import { remediationArtifacts } from '../../src/remediation/target.js';
import { modelOf } from '../helpers/config.js';
import { actionsFile } from '../../src/remediation/actions-file.js';
import { compile } from '../../src/compile.js';
import { loadConfig } from '../../src/config/load.js';

function problems(remediations: unknown[]): string {
  const raw = { teams: [], services: [], remediations };
  try {
    validateConfig(raw);
  } catch (err) {
    if (err instanceof ConfigError) return formatProblems(err, raw, 'slos/index.ts');
    throw err;
  }
  return '';
}

test('invalid remediations name the remediation and the field', () => {
  const http = { http: { url: 'http://x/' } };
  assert.match(
    problems([{ name: 'r', action: { ...http, command: { argv: ['true'] } } }]),
    /remediation "r" > field "action": must have exactly one kind/,
  );
  assert.match(problems([{ name: 'r', action: {} }]), /remediation "r" > field "action": must have exactly one kind/);
  assert.match(
    problems([{ name: 'r', action: { http: { url: 'http://x/', body: { a: '{{labels.x-y}}' } } } }]),
    /field "action.http.body.a": unknown placeholder "\{\{labels.x-y\}\}"/,
  );
  assert.match(
    problems([{ name: 'r', action: { http: { url: 'http://x/', timeout: 'soon' } } }]),
    /field "action.http.timeout": is not a duration/,
  );
  assert.match(
    problems([{ name: 'r', action: { http: { url: 'http://x/', headerFiles: { 'Bad Header': '/f' } } } }]),
    /field "action.http.headerFiles.Bad Header": is not a valid HTTP header name/,
  );
  assert.match(
    problems([{ name: 'r', action: { http: { url: 'http://x/', headers: { Authorization: 'Bearer abc' } } } }]),
    /field "action.http.headers.Authorization": would put a secret into generated\/; give it in headerFiles/,
  );
  // Issue 12: credentials in a URL would be written into generated/ (and audit trails).
  assert.match(
    problems([{ name: 'r', action: { http: { url: 'https://user:pass@hooks.example/restart' } } }]),
    /remediation "r" > field "action.http.url": holds credentials \(user:password@host\).*headerFiles/,
  );
  for (const param of ['api_key', 'apiKey', 'access_token', 'X-Amz-Signature', 'sig', 'password', 'token']) {
    assert.match(
      problems([{ name: 'r', action: { http: { url: `https://hooks.example/restart?env=prod&${param}=abc` } } }]),
      new RegExp(`field "action.http.url": query parameter "${param}" looks like a secret`),
      param,
    );
  }
  assert.equal(
    problems([{ name: 'r', action: { http: { url: 'https://hooks.example/restart?env=prod&monkey=1&keyboard=2&page=3' } } }]),
    '',
  );
  assert.match(
    problems([
      {
        name: 'k',
        action: { kubernetesScale: { apiServer: 'https://admin:pw@k', namespace: 'n', deployment: 'd', increment: 1, maxReplicas: 3 } },
      },
    ]),
    /field "action.kubernetesScale.apiServer": holds credentials/,
  );
  assert.match(
    problems([
      {
        name: 'k',
        action: { kubernetesScale: { apiServer: 'https://k', namespace: 'n', deployment: 'd', increment: 1, factor: 2, maxReplicas: 3 } },
      },
    ]),
    /remediation "k" > field "action.kubernetesScale.increment": give exactly one of `increment` or `factor`/,
  );
  assert.match(
    problems([
      { name: 'k', action: { kubernetesScale: { apiServer: 'https://k', namespace: 'n', deployment: 'd', factor: 1, maxReplicas: 3 } } },
    ]),
    /field "action.kubernetesScale.factor": must be above 1/,
  );
  assert.match(problems([{ name: 'c', action: { command: { argv: [] } } }]), /field "action.command.argv": must name a program/);
  assert.match(
    problems([{ name: 'c', action: { command: { argv: ['x'], env: { lower: 'v' } } } }]),
    /field "action.command.env.lower": environment names must match/,
  );
  assert.match(
    problems([{ name: 'c', action: { command: { argv: ['x'], shell: true } } }]),
    /field "action.command.shell": is not a known field/,
  );
  assert.match(problems([{ name: 'c', maxPerHour: 0, action: http }]), /remediation "c" > field "maxPerHour"/);
  assert.equal(
    problems([
      {
        name: 'ok',
        cooldown: '0s',
        maxConcurrent: 2,
        maxPerHour: 3,
        dryRun: true,
        onResolved: true,
        action: { command: { argv: ['/bin/true'], env: { SERVICE: '{{labels.service}}' } } },
      },
    ]),
    '',
  );
});

test('actions.json: versioned, defaults resolved, durations in ms, secrets only as paths, sorted', () => {
  const cfg = modelOf({
    teams: [],
    services: [],
    remediations: [
      { name: 'zeta', action: { http: { url: 'http://h/', headerFiles: { Authorization: '/run/secrets/a' } } } },
      {
        name: 'alpha',
        cooldown: '90s',
        action: { kubernetesScale: { apiServer: 'https://k8s:6443/', namespace: 'n', deployment: 'd', increment: 2, maxReplicas: 9 } },
      },
    ],
  });
  const [artifact] = remediationArtifacts(cfg);
  assert.equal(artifact!.path, 'remediation/actions.json');
  const doc = actionsFile.parse(JSON.parse(artifact!.content));
  assert.equal(doc.version, 2);
  assert.match(doc.generatedBy, /sloforge/);
  assert.deepEqual(
    doc.remediations.map((r) => r.name),
    ['alpha', 'zeta'],
  );
  const [alpha, zeta] = doc.remediations;
  assert.equal(alpha!.cooldownMs, 90_000);
  assert.deepEqual(
    { c: zeta!.cooldownMs, m: zeta!.maxConcurrent, h: zeta!.maxPerHour, d: zeta!.dryRun, r: zeta!.onResolved },
    { c: 300_000, m: 1, h: 6, d: false, r: false },
  );
  assert.deepEqual(zeta!.action, {
    kind: 'http',
    http: {
      url: 'http://h/',
      method: 'POST',
      headers: {},
      headerFiles: { Authorization: '/run/secrets/a' },
      timeoutMs: 10_000,
      retries: 2,
      retryBackoffMs: 1000,
    },
  });
  assert.equal(alpha!.action.kind === 'kubernetesScale' && alpha!.action.kubernetesScale.apiServer, 'https://k8s:6443');
  assert.equal(remediationArtifacts(cfg)[0]!.content, artifact!.content, 'deterministic');
});

test('the example slos/ compile an actions file with every action kind and no secret values', async () => {
  const { config } = await loadConfig('slos');
  const artifact = compile(config).find((a) => a.path === 'remediation/actions.json');
  assert.ok(artifact);
  const doc = actionsFile.parse(JSON.parse(artifact.content));
  assert.deepEqual(new Set(doc.remediations.map((r) => r.action.kind)), new Set(['http', 'kubernetesScale', 'command']));
  assert.ok(doc.remediations.some((r) => r.name === 'restart-checkout'));
  assert.doesNotMatch(artifact.content, /s3cret|password|BEGIN CERTIFICATE/i);
});
