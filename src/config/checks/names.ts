// Names that other systems limit: service and team names become file names under generated/
// and Kubernetes object names, each service's dashboard uid must be its own, and so must each of
// its rule groups' names (Prometheus refuses a rule file with two groups of one name).
import type { Config } from '../schema/config.js';
import type { ConfigProblem } from '../errors.js';
import { MAX_NAME_LENGTH, noDataGroupName, serviceDashboardUid, sloGroupName, thresholdGroupName } from '../../conventions.js';

function lengthProblem(name: string, path: Array<string | number>, what: string): ConfigProblem[] {
  if (name.length <= MAX_NAME_LENGTH) return [];
  return [
    {
      path,
      message: `is ${name.length} characters, more than ${MAX_NAME_LENGTH}: a ${what} name names files under generated/ (at most 255 bytes each) and Kubernetes objects (at most 253 characters); shorten it`,
    },
  ];
}

/**
 * An SLO's group is `sloforge-<service>-<slo>`, so an SLO named `nodata` or `threshold-<name of a
 * threshold>` would name a group the service already has.
 */
function ruleGroupNameProblems(cfg: Config): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  cfg.services.forEach((svc, si) => {
    const taken = new Map<string, string>([[noDataGroupName(svc.name), 'the rule group of its no-data alerts']]);
    (svc.thresholds ?? []).forEach((th) => taken.set(thresholdGroupName(svc.name, th.name), `the rule group of threshold "${th.name}"`));
    (svc.slos ?? []).forEach((slo, i) => {
      const group = sloGroupName(svc.name, slo.name);
      const owner = taken.get(group);
      if (owner === undefined) return;
      out.push({
        path: ['services', si, 'slos', i, 'name'],
        message: `would name the SLO's rule group "${group}", which is ${owner}; rename the SLO`,
      });
    });
  });
  return out;
}

export function nameLimitProblems(cfg: Config): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  cfg.teams.forEach((t, i) => out.push(...lengthProblem(t.name, ['teams', i, 'name'], 'team')));
  const uids = new Map<string, number>();
  cfg.services.forEach((s, i) => {
    out.push(...lengthProblem(s.name, ['services', i, 'name'], 'service'));
    // A long name's uid ends in a hash of it, which a short name could spell out on purpose.
    const uid = serviceDashboardUid(s.name);
    const other = uids.get(uid);
    if (other !== undefined && cfg.services[other]!.name !== s.name) {
      out.push({
        path: ['services', i, 'name'],
        message: `has the Grafana dashboard uid "${uid}" of service "${cfg.services[other]!.name}" (#${other + 1}); rename one`,
      });
    } else uids.set(uid, i);
  });
  out.push(...ruleGroupNameProblems(cfg));
  return out;
}
