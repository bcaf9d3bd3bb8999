// Config in, files out: every target is a pure function of the validated config.
import type { Config } from './config/schema/config.js';
import type { Artifact } from './output/artifact.js';
import { prometheusArtifacts, serviceRuleGroups } from './prometheus/target.js';
import { isAlert } from './prometheus/rules.js';
import { alertmanagerArtifacts } from './alertmanager/target.js';
import { grafanaArtifacts } from './grafana/target.js';
import { remediationArtifacts } from './remediation/compile.js';
import { MARKER_FILE, MARKER_TEXT } from './output/write.js';

interface Target {
  /** Lines for generated/README.md: which folders, and what they hold. */
  readme: string[];
  compile: (config: Config) => Artifact[];
}

const TARGETS: Target[] = [
  {
    readme: [
      '`prometheus/rules/`: recording and alerting rules, one file per service',
      '`prometheus/tests/`: promtool unit tests for those rules (`promtool test rules`)',
    ],
    compile: prometheusArtifacts,
  },
  {
    readme: ['`alertmanager/`: alertmanager.yml and the notification templates it loads (mount the folder as /etc/alertmanager/sloforge)'],
    compile: alertmanagerArtifacts,
  },
  { readme: ['`grafana/`: dashboards (`dashboards/`) and Grafana provisioning files (`provisioning/`)'], compile: grafanaArtifacts },
  { readme: ['`remediation/actions.json`: the remediation actions `sloforge receiver --actions` loads'], compile: remediationArtifacts },
];

function readme(): Artifact {
  return {
    path: MARKER_FILE,
    content:
      `# ${MARKER_TEXT}\n\nEverything in this folder is ${MARKER_TEXT}: do not edit it by hand.\n` +
      'Change the definitions in `slos/` and run `npx sloforge generate`; CI runs\n' +
      '`npx sloforge generate --check` to catch a stale copy.\n\n' +
      TARGETS.flatMap((t) => t.readme).map((line) => `- ${line}\n`).join(''),
  };
}

export function compile(config: Config): Artifact[] {
  const artifacts = [readme(), ...TARGETS.flatMap((t) => t.compile(config))];
  const seen = new Set<string>();
  for (const a of artifacts) {
    if (seen.has(a.path)) throw new Error(`two targets wrote ${a.path}`);
    seen.add(a.path);
  }
  return artifacts.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export interface Summary {
  services: number;
  slos: number;
  thresholds: number;
  alerts: number;
  recordings: number;
}

/** What a config compiles to, in numbers, for the line `generate` ends with. */
export function summarize(config: Config): Summary {
  const out: Summary = { services: config.services.length, slos: 0, thresholds: 0, alerts: 0, recordings: 0 };
  for (const svc of config.services) {
    out.slos += svc.slos?.length ?? 0;
    out.thresholds += svc.thresholds?.length ?? 0;
    for (const rule of serviceRuleGroups(config, svc).flatMap((g) => g.rules)) {
      if (isAlert(rule)) out.alerts++;
      else out.recordings++;
    }
  }
  return out;
}
