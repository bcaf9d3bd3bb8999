// The files `sloforge init` writes: a repository that generates, type-checks under strict
// settings and passes promtool's tests as it is, with CI for both. Pure: text in, no I/O.
import type { Artifact } from '../output/artifact.js';

export interface ScaffoldOptions {
  /** package.json "name". */
  name: string;
  /** What package.json depends on for sloforge: a range, a file: path or a git URL. */
  sloforge: string;
}

/** promtool release the CI files run; generated rules need 2.42 or later. */
export const PROMETHEUS_IMAGE = 'prom/prometheus:v2.53.4';
export const NODE_MAJOR = 22;
export const PROMTOOL_TEST = 'promtool test rules generated/prometheus/tests/*.yml';

/** A valid npm package name from a folder name. */
export function packageName(folder: string): string {
  const name = folder
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, '-')
    .replace(/^[._-]+|-+$/g, '')
    .slice(0, 214);
  return name === '' ? 'slos' : name;
}

function packageJson(o: ScaffoldOptions): string {
  const pkg = {
    name: o.name,
    private: true,
    type: 'module',
    scripts: {
      generate: 'sloforge generate',
      // Type errors first, then whether generated/ is what slos/ compiles to.
      check: 'tsc && sloforge generate --check',
      // The generated promtool tests, one promtool per core, each file's time reported.
      test: 'sloforge test',
    },
    dependencies: { sloforge: o.sloforge },
    devDependencies: { typescript: '^5.9.0' },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

// The strictest settings in common use, so the SLO files are checked at least as hard as any
// project's; no @types/node: SLO files need nothing from Node.
const TSCONFIG = `${JSON.stringify(
  {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      noPropertyAccessFromIndexSignature: true,
      skipLibCheck: false,
      types: [],
      noEmit: true,
    },
    include: ['slos'],
  },
  null,
  2,
)}\n`;

const INDEX = `// The SLOs of this repository. \`npx sloforge generate\` compiles this folder into generated/;
// commit both. A plain object literal works too; the define* helpers add types and let errors
// name the file and line an object was written in.
import { defineConfig, defineService, defineTeam } from 'sloforge';

const web = defineTeam({
  name: 'web',
  // Alertmanager reads secrets from files on its host: none is ever written into generated/.
  page: { pagerduty: { routingKeyFile: '/etc/alertmanager/secrets/web-pagerduty' } },
  ticket: { slack: { apiUrlFile: '/etc/alertmanager/secrets/slack-webhook', channel: '#web-alerts' } },
});

const api = defineService({
  name: 'api',
  team: 'web',
  slos: [
    {
      name: 'availability',
      objective: 99.9,
      description: 'API requests succeed',
      // Counters: errors (or good) and total; sloforge applies rate() and sum() itself.
      sli: { ratio: { errors: 'http_requests_total{job="api",code=~"5.."}', total: 'http_requests_total{job="api"}' } },
    },
    {
      name: 'latency',
      objective: 99,
      description: 'API requests are served within 300 ms',
      // A classic histogram's base name; the threshold (seconds) must be one of its bucket bounds.
      sli: { latency: { histogram: 'http_request_duration_seconds{job="api"}', threshold: 0.3 } },
      // A native histogram instead: latency: { histogram: '...', threshold: 0.25, native: true }.
    },
    {
      name: 'grpc',
      objective: 99.5,
      description: 'gRPC calls succeed',
      // Your own PromQL, once per alert window: sloforge writes each window where $window stands.
      sli: {
        query: {
          errors: 'sum by (grpc_method) (rate(grpc_server_handled_total{job="api",grpc_code!="OK"}[$window]))',
          total: 'sum by (grpc_method) (rate(grpc_server_handled_total{job="api"}[$window]))',
        },
      },
      // One SLI and one alert per gRPC method (any SLO may group; a query must keep the label).
      groupBy: ['grpc_method'],
    },
    {
      name: 'probe',
      objective: 99.5,
      description: 'The public site answers its blackbox probe',
      // A 0/1 gauge, 1 good: every sample is one event.
      sli: { boolGauge: { series: 'probe_success{job="blackbox",instance="https://www.example.com/"}' } },
      // Page on a failing probe; no ticket tier for this one.
      alerting: { ticket: false },
    },
  ],
  thresholds: [
    { name: 'cpu', expr: 'avg(rate(process_cpu_seconds_total{job="api"}[5m])) * 100', warning: 80, critical: 95, for: '10m', unit: 'percent' },
  ],
});

export default defineConfig({
  teams: [web],
  services: [api],
  // Where responders open Grafana (alerts link to their dashboard there), and the Prometheus the
  // provisioned datasource reads, as Grafana reaches it. \`generate\` warns until both are set.
  // grafana: { url: 'https://grafana.example.com', datasource: { url: 'http://prometheus.example.com:9090' } },
});
`;

const GITIGNORE = 'node_modules/\n';

const GITHUB = `# generated/ must be what slos/ compiles to, and the generated alerts must pass their promtool tests.
name: slos
on: [push, pull_request]
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: ${NODE_MAJOR}
          cache: npm
      - run: npm ci
      # tsc, then sloforge generate --check: names the stale files when generated/ is not current.
      - run: npm run check
      # promtool, copied out of the Prometheus image, so that sloforge test runs one per core.
      - name: promtool
        run: |
          docker create --name promtool ${PROMETHEUS_IMAGE}
          docker cp promtool:/bin/promtool "$RUNNER_TEMP/promtool"
          docker rm promtool
      - run: npm test -- --promtool "$RUNNER_TEMP/promtool"
      # Optional deploy gate (sloforge docs/live-checks.md): fails while any SLO has spent its error
      # budget in the running Prometheus. Uncomment it in the workflow that deploys, before the deploy
      # step, with a PROMETHEUS_URL secret (and --bearer-token-file or --basic-auth-file if it needs them).
      # - name: error budget left
      #   run: npx sloforge status --prometheus "\${{ secrets.PROMETHEUS_URL }}" --fail-when budget-exhausted --format markdown >> "$GITHUB_STEP_SUMMARY"
`;

const GITLAB = `# generated/ must be what slos/ compiles to, and the generated alerts must pass their promtool tests.
stages: [check, test]

generated-is-current:
  stage: check
  image: node:${NODE_MAJOR}
  script:
    - npm ci
    # tsc, then sloforge generate --check: names the stale files when generated/ is not current.
    - npm run check

promtool:
  stage: test
  image:
    name: ${PROMETHEUS_IMAGE}
    entrypoint: [""]
  script:
    - ${PROMTOOL_TEST}

# Optional deploy gate (sloforge docs/live-checks.md): fails while any SLO has spent its error
# budget in the running Prometheus. Uncomment it, set the PROMETHEUS_URL variable, and make the
# deploy job need it.
# error-budget:
#   stage: test
#   image: node:${NODE_MAJOR}
#   script:
#     - npm ci
#     - npx sloforge status --prometheus "$PROMETHEUS_URL" --fail-when budget-exhausted
`;

export function scaffold(o: ScaffoldOptions): Artifact[] {
  return [
    { path: 'package.json', content: packageJson(o) },
    { path: 'tsconfig.json', content: TSCONFIG },
    { path: 'slos/index.ts', content: INDEX },
    { path: '.gitignore', content: GITIGNORE },
    { path: '.github/workflows/slos.yml', content: GITHUB },
    { path: '.gitlab-ci.yml', content: GITLAB },
  ];
}
