// Validated config in, files out: resolved once into the Model, which every target compiles
// without I/O and without failing on user input (validation already refused what it must).
import type { Config } from './config/public-types.js';
import type { ConfigProblem } from './config/errors.js';
import type { Artifact } from './output/artifact.js';
import { resolveModel } from './model/resolve.js';
import type { Model } from './model/types.js';
import { prometheusArtifacts, ruleSet, type RuleSet } from './prometheus/target.js';
import { isAlert } from './prometheus/rules.js';
import { promtoolArtifacts } from './promtool/target.js';
import { alertmanagerArtifacts } from './alertmanager/target.js';
import { grafanaSharedArtifacts, serviceDashboardArtifacts } from './grafana/target.js';
import { remediationArtifacts } from './remediation/target.js';
import { mimirArtifacts, mimirWarnings } from './mimir/target.js';
import { thanosArtifacts } from './thanos/target.js';
import { vmalertArtifacts } from './vmalert/target.js';
import { kubernetesArtifacts } from './kubernetes/target.js';
import { MARKER_FILE, MARKER_TEXT } from './output/write.js';
import { InternalError } from './errors.js';

interface Target {
  /** Lines for generated/README.md: which folders, and what they hold. */
  readme: string[];
  /** Opt-in targets say when the config turned them on; their lines are left out otherwise. */
  on?: (model: Model) => boolean;
  /** `rules`: every service's rule groups, built once per run (targets that write no rules ignore them). */
  compile: (model: Model, rules: RuleSet) => Artifact[];
  /** What the target's consumer will refuse or choke on that only the target can count (`generate` prints them). */
  warnings?: (model: Model, rules: RuleSet) => ConfigProblem[];
  /**
   * Each service's files depend on that service alone (its rules, its definitions and the
   * model's switches), so compile() of a model holding part of the services, with their part of
   * `rules`, writes exactly those services' files: another thread may compile the rest
   * (compile-workers.ts).
   */
  perService?: true;
  /**
   * A target that is not per service and still reads `rules` needs every service's rule groups
   * on the thread that runs it; without one, each thread builds only its own share's
   * (compile-workers.ts).
   */
  readsRules?: true;
}

const TARGETS: Target[] = [
  {
    readme: [
      '`prometheus/rules/`: recording and alerting rules: per service, its SLOs in `<service>.yml`, thresholds in `<service>.thresholds.yml`, no-data alerts in `<service>.nodata.yml`',
    ],
    compile: prometheusArtifacts,
    perService: true,
  },
  {
    readme: ['`prometheus/tests/`: promtool unit tests for those rules (`promtool test rules`)'],
    compile: promtoolArtifacts,
    perService: true,
  },
  {
    readme: [
      '`alertmanager/`: alertmanager.yml and the notification templates it loads (mount the folder as /etc/alertmanager/sloforge); ' +
        '`fragment.yml` holds the same routes and receivers for an Alertmanager with a config of its own (`npx sloforge alertmanager merge --into FILE`)',
    ],
    compile: alertmanagerArtifacts,
  },
  { readme: ['`grafana/`: dashboards (`dashboards/`) and Grafana provisioning files (`provisioning/`)'], compile: grafanaSharedArtifacts },
  { readme: [], compile: serviceDashboardArtifacts, perService: true },
  { readme: ['`remediation/actions.json`: the remediation actions `sloforge receiver --actions` loads'], compile: remediationArtifacts },
  {
    readme: [
      '`mimir/rules/`: the rule groups as Mimir/Cortex ruler namespaces, one per service (`mimirtool rules sync --rule-dirs`; docs/kubernetes.md)',
    ],
    on: (m) => m.engines.mimir !== undefined,
    compile: mimirArtifacts,
    warnings: mimirWarnings,
    readsRules: true,
  },
  {
    readme: ['`thanos/rules/`: the rule files with `partial_response_strategy` for Thanos Ruler (docs/kubernetes.md)'],
    on: (m) => m.engines.thanos,
    compile: thanosArtifacts,
    perService: true,
  },
  {
    readme: ['`vmalert/rules/`: the rule files for VictoriaMetrics vmalert 1.79 or later (`vmalert -rule`; docs/kubernetes.md)'],
    on: (m) => m.engines.vmalert,
    compile: vmalertArtifacts,
    perService: true,
  },
  {
    readme: [
      '`kubernetes/`: Prometheus Operator manifests: PrometheusRules, AlertmanagerConfigs, dashboard ConfigMaps, the receiver (`kubectl apply --server-side -R -f`; docs/kubernetes.md)',
    ],
    on: (m) => m.kubernetes !== undefined,
    compile: kubernetesArtifacts,
    readsRules: true,
  },
];

const targetsOf = (model: Model) => TARGETS.filter((t) => t.on?.(model) ?? true);

function readme(model: Model): Artifact {
  return {
    path: MARKER_FILE,
    content:
      `# ${MARKER_TEXT}\n\nEverything in this folder is ${MARKER_TEXT}: do not edit it by hand.\n` +
      'Change the definitions in `slos/` and run `npx sloforge generate`; CI runs\n' +
      '`npx sloforge generate --check` to catch a stale copy.\n\n' +
      targetsOf(model)
        .flatMap((t) => t.readme)
        .map((line) => `- ${line}\n`)
        .join(''),
  };
}

/**
 * `rules`: pass the run's rule set when the caller also needs it (warnings, summary), so it is
 * built once. `elsewhere`: services whose per-service files another thread compiles
 * (compile-workers.ts); the per-service targets skip them here.
 */
export function compileModel(model: Model, rules: RuleSet = ruleSet(model), elsewhere?: ReadonlySet<string>): Artifact[] {
  const hereRules = elsewhere ? rules.filter(({ svc }) => !elsewhere.has(svc.name)) : rules;
  const hereModel = elsewhere ? { ...model, services: model.services.filter((s) => !elsewhere.has(s.name)) } : model;
  return sortedByPath([
    readme(model),
    ...targetsOf(model).flatMap((t) => (t.perService ? t.compile(hereModel, hereRules) : t.compile(model, rules))),
  ]);
}

/** The files sorted by path, each path once (two targets writing one file is a sloforge bug). */
function sortedByPath(artifacts: Artifact[]): Artifact[] {
  const seen = new Set<string>();
  for (const a of artifacts) {
    if (seen.has(a.path)) throw new InternalError(`two targets wrote ${a.path}`);
    seen.add(a.path);
  }
  return artifacts.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The per-service targets' files for `model`'s services: what a worker thread compiles for its share. */
export function perServiceArtifacts(model: Model, rules: RuleSet = ruleSet(model)): Artifact[] {
  return targetsOf(model)
    .filter((t) => t.perService)
    .flatMap((t) => t.compile(model, rules));
}

/** Whether a target this model turns on reads the rule groups of every service (the Mimir and Kubernetes files, Mimir's warnings). */
export function needsEveryRule(model: Model): boolean {
  return targetsOf(model).some((t) => t.readsRules);
}

/** Warnings of the targets the model turns on, next to the model's own (src/model/warnings.ts). */
export function targetWarnings(model: Model, rules: RuleSet = ruleSet(model)): ConfigProblem[] {
  return targetsOf(model).flatMap((t) => t.warnings?.(model, rules) ?? []);
}

/** Every generated file of a validated config (see validateConfig), sorted by path. */
export function compile(config: Config): Artifact[] {
  return compileModel(resolveModel(config));
}

export interface Summary {
  services: number;
  slos: number;
  thresholds: number;
  alerts: number;
  recordings: number;
}

export type RuleCounts = Pick<Summary, 'alerts' | 'recordings'>;

/** The alerting and recording rules of `rules`. */
export function ruleCounts(rules: RuleSet): RuleCounts {
  const out = { alerts: 0, recordings: 0 };
  for (const { groups } of rules) {
    for (const g of groups) {
      for (const rule of g.rules) {
        if (isAlert(rule)) out.alerts++;
        else out.recordings++;
      }
    }
  }
  return out;
}

/**
 * What a model compiles to, in numbers, for the line `generate` ends with. `counts`: the rules
 * counted where they were built (compile-workers.ts: no thread holds every service's); without
 * them, the model's whole rule set is built here to count.
 */
export function summarize(model: Model, counts: RuleCounts = ruleCounts(ruleSet(model))): Summary {
  let slos = 0;
  let thresholds = 0;
  for (const svc of model.services) {
    slos += svc.slos.length;
    thresholds += svc.thresholds.length;
  }
  return { services: model.services.length, slos, thresholds, ...counts };
}
