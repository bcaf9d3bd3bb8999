// The Prometheus target: a service's rules in up to three files, by what they are about.
import type { Artifact } from '../output/artifact.js';
import { renderYaml } from '../output/render.js';
import type { Model, ServiceModel } from '../model/types.js';
import { sloRuleGroup, type WindowSource } from './slo-rules.js';
import type { RuleGroup } from './rules.js';
import { thresholdRuleGroup } from './threshold-rules.js';
import { noDataRuleGroup } from './nodata.js';
import { InternalError } from '../errors.js';

export const RULES_DIR = 'prometheus/rules';

/**
 * A service's rule files: its SLOs' groups in `<service>.yml`, its thresholds' in
 * `<service>.thresholds.yml`, its no-data alerts in `<service>.nodata.yml`. promtool evaluates
 * every rule of every file a test file names at every step, whichever alert the test is about;
 * apart, each generated test file loads only the rules it asserts on and what they read (about
 * half the rule evaluations of one file per service). Service names hold no dot, so no service's
 * file is another's part.
 */
export type RuleFilePart = '' | 'thresholds' | 'nodata';

/** The parts in file order (serviceRuleGroups' order of groups). */
export const RULE_FILE_PARTS: readonly RuleFilePart[] = ['', 'thresholds', 'nodata'];

/** A part's file name without its extension (`checkout`, `checkout.thresholds`), which its test files share. */
export const partStem = (service: string, part: RuleFilePart): string => (part ? `${service}.${part}` : service);

export const rulesFile = (service: string, part: RuleFilePart = '') => `${RULES_DIR}/${partStem(service, part)}.yml`;

/** The service and part a rule file's name (`checkout.thresholds.yml`) stands for: rulesFile's inverse. */
export function rulesFileOf(name: string): { service: string; part: RuleFilePart } {
  const [service = '', part = ''] = (name.split('/').pop() ?? '').replace(/\.yml$/, '').split('.');
  const known = RULE_FILE_PARTS.find((p) => p === part);
  if (known === undefined) throw new InternalError(`${name}: not a rule file's name`);
  return { service, part: known };
}

/** A service's rule groups: one per SLO (in order), one per threshold, then its no-data group. */
export function serviceRuleGroups(svc: ServiceModel, windows: WindowSource = 'derived'): RuleGroup[] {
  const groups = svc.slos.map((slo) => sloRuleGroup(svc, slo, windows));
  // Thresholds and no-data alerts come after the SLO groups, which stay as they are.
  for (const th of svc.thresholds) groups.push(thresholdRuleGroup(svc, th));
  const noData = noDataRuleGroup(svc);
  if (noData) groups.push(noData);
  return groups.map((g) => withSettings(g, svc));
}

/** The service's `interval` and `limit`, in the key order of Prometheus' documentation. */
function withSettings(g: RuleGroup, svc: ServiceModel): RuleGroup {
  const { interval, limit } = svc.ruleGroups;
  return {
    name: g.name,
    ...(interval !== undefined ? { interval } : {}),
    ...(limit !== undefined ? { limit } : {}),
    rules: g.rules,
  };
}

/** A service's rule groups as this target writes them; the other targets re-pack or read them. */
export interface ServiceRules {
  svc: ServiceModel;
  groups: RuleGroup[];
}

/**
 * Every service with its groups, in model order: built once per run by src/compile.ts and passed
 * to every target that reads rules (a target called alone builds them itself).
 */
export type RuleSet = readonly ServiceRules[];

export function ruleSet(model: Model): RuleSet {
  return model.services.map((svc) => ({ svc, groups: serviceRuleGroups(svc) }));
}

/** Services with rules, each with its groups: a service without any gets no rule file in any output. */
export function servicesWithGroups(rules: RuleSet): ServiceRules[] {
  return rules.filter(({ groups }) => groups.length > 0);
}

/** A service's groups by rule file (serviceRuleGroups' order: SLOs, thresholds, no-data), the files without groups left out. */
export function ruleFileParts({ svc, groups }: ServiceRules): Array<{ part: RuleFilePart; groups: RuleGroup[] }> {
  const slos = svc.slos.length;
  const thresholds = slos + svc.thresholds.length;
  if (groups.length < thresholds || groups.length > thresholds + 1)
    throw new InternalError(`${svc.name}: ${groups.length} rule groups for ${slos} SLOs and ${svc.thresholds.length} thresholds`);
  const bounds = [0, slos, thresholds, groups.length];
  return RULE_FILE_PARTS.map((part, i) => ({ part, groups: groups.slice(bounds[i], bounds[i + 1]) })).filter((p) => p.groups.length > 0);
}

export function prometheusArtifacts(model: Model, rules: RuleSet = ruleSet(model)): Artifact[] {
  return servicesWithGroups(rules).flatMap((sr) =>
    ruleFileParts(sr).map(({ part, groups }) => ({ path: rulesFile(sr.svc.name, part), content: renderYaml({ groups }) })),
  );
}
