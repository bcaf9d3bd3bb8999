// Config in, files out: every target is a pure function of the validated config.
import type { Config } from './config/schema/config.js';
import type { Artifact } from './output/artifact.js';
import { prometheusArtifacts } from './prometheus/target.js';
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
