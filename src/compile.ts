// Config in, files out: every target is a pure function of the validated config.
import type { Config } from './config/schema/config.js';
import type { Artifact } from './output/artifact.js';
import { prometheusArtifacts } from './prometheus/target.js';
import { MARKER_FILE, MARKER_TEXT } from './output/write.js';
import { remediationArtifacts } from './remediation/compile.js';

function readme(): Artifact {
  return {
    path: MARKER_FILE,
    content: `# ${MARKER_TEXT}\n\nEverything in this folder is ${MARKER_TEXT}: do not edit it by hand.\nChange the definitions in \`slos/\` and run \`npx sloforge generate\`; CI runs\n\`npx sloforge generate --check\` to catch a stale copy.\n\n- \`prometheus/rules/\`: recording and alerting rules, one file per service\n- \`prometheus/tests/\`: promtool unit tests for those rules (\`promtool test rules\`)\n`,
  };
}

export function compile(config: Config): Artifact[] {
  const artifacts = [readme(), ...prometheusArtifacts(config), ...remediationArtifacts(config)];
  const seen = new Set<string>();
  for (const a of artifacts) {
    if (seen.has(a.path)) throw new Error(`two targets wrote ${a.path}`);
    seen.add(a.path);
  }
  return artifacts.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
