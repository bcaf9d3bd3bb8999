// Import rules for src/ (`npm run lint`): no cycles between modules, and the stages of
// ARCHITECTURE.md only import downwards, so no cycle can form between folders either:
//   promql, conventions  <-  config  <-  model  <-  targets (prometheus, promtool, alertmanager,
//   grafana, remediation; mimir, thanos, vmalert re-pack prometheus')  <-  kubernetes (re-packs the others' output)  <-  compile, cli.
//   output, import and init sit beside them; errors.ts (the error taxonomy) is a leaf every folder may import; live (check/status against a running Prometheus) reads model and prometheus.
//   receiver (the webhook receiver's runtime) stands apart: it reads the actions file's schema (remediation/actions-file.ts)
//   and a few leaves, and nothing of the compiler imports it; only cli.ts registers its command.
const TARGETS = 'prometheus|promtool|alertmanager|grafana|remediation|mimir|thanos|vmalert|kubernetes';

const forbid = (name, comment, from, to) => ({ name, comment, severity: 'error', from: { path: from }, to: { path: to } });

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import cycle makes the stages order-dependent.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    forbid('promql-is-a-leaf', 'PromQL helpers know nothing of sloforge.', '^src/promql/', '^src/(?!promql/)'),
    forbid('conventions-is-a-leaf', 'Names depend on nothing.', '^src/conventions\\.ts$', '^src/'),
    forbid('errors-is-a-leaf', 'The error taxonomy depends on nothing; every folder may throw its classes.', '^src/errors\\.ts$', '^src/'),
    forbid(
      'config-below-model',
      'Validation runs before the model exists.',
      '^src/config/',
      `^src/(model|${TARGETS}|compile|cli|import|output|live)`,
    ),
    forbid(
      'model-below-targets',
      'The model is what targets read, never the reverse.',
      '^src/model/',
      `^src/(${TARGETS}|compile|cli|import|output|live)`,
    ),
    forbid(
      'prometheus-alone',
      'Rules do not depend on tests, dashboards or routing.',
      '^src/prometheus/',
      '^src/(promtool|alertmanager|grafana|remediation|mimir|thanos|vmalert|kubernetes|import|compile|cli|live)',
    ),
    forbid(
      'engines-repack-rules',
      'Mimir, Thanos and vmalert files are the Prometheus groups for another engine.',
      '^src/(mimir|thanos|vmalert)/',
      '^src/(promtool|alertmanager|grafana|remediation|kubernetes|import|compile|cli)',
    ),
    forbid(
      'promtool-reads-rules-only',
      'Tests read rule groups and the model.',
      '^src/promtool/',
      '^src/(alertmanager|grafana|remediation|mimir|thanos|vmalert|kubernetes|import|compile|cli)',
    ),
    forbid(
      'alertmanager-alone',
      'Routing depends on no other target.',
      '^src/alertmanager/',
      `^src/(${TARGETS.replace('alertmanager|', '')}|import|compile|cli)`,
    ),
    forbid(
      'grafana-reads-rule-names-only',
      'Dashboards read what the rules record.',
      '^src/grafana/',
      '^src/(promtool|alertmanager|remediation|mimir|thanos|vmalert|kubernetes|import|compile|cli)',
    ),
    forbid(
      'remediation-alone',
      'The actions file depends on no other target, nor on the receiver that reads it.',
      '^src/remediation/',
      '^src/(prometheus|promtool|alertmanager|grafana|mimir|thanos|vmalert|kubernetes|receiver|import|compile|cli)',
    ),
    forbid(
      'receiver-reads-the-actions-file',
      'The receiver runs without the SLO config: of the compiler it reads the actions file schema, template syntax, durations and list text only (and node-http, which is no part of the compiler).',
      '^src/receiver/',
      '^src/(?!receiver/|remediation/actions-file\\.ts$|config/(template-syntax|duration)\\.ts$|conventions\\.ts$|errors\\.ts$|list-text\\.ts$|node-http\\.ts$)',
    ),
    forbid(
      'compiler-never-imports-the-receiver',
      'Compiling needs no runtime: only the CLI registers the receiver command.',
      '^src/(?!receiver/|cli\\.ts$)',
      '^src/receiver/',
    ),
    forbid(
      'cli-registers-the-receiver-only',
      'The CLI reaches the receiver through its command.',
      '^src/cli\\.ts$',
      '^src/receiver/(?!cli\\.ts$)',
    ),
    forbid(
      'kubernetes-repacks-targets',
      'Manifests wrap what the other targets build; tests, import and the CLI stay out.',
      '^src/kubernetes/',
      '^src/(promtool|mimir|vmalert|import|compile|cli)',
    ),
    forbid(
      'output-is-a-leaf',
      'Writing files knows nothing of what they hold.',
      '^src/output/',
      '^src/(?!output/|config/errors\\.ts|errors\\.ts)',
    ),
    forbid('import-writes-config-only', 'Import produces config, not output.', '^src/import/', `^src/(model|${TARGETS}|compile|cli)`),
    forbid(
      'live-reads-the-model',
      'Live checks ask Prometheus about the model and the rules it compiles to; no other target, no output.',
      '^src/live/',
      `^src/(${TARGETS.replace('prometheus|', '')}|import|init|output|compile|cli)`,
    ),
    forbid(
      'init-writes-files-only',
      'init scaffolds text; it compiles nothing.',
      '^src/init/',
      `^src/(model|promql|${TARGETS}|import|compile|cli)`,
    ),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs'],
    },
  },
};
