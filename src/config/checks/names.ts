// Names that other systems limit: service and team names become file names under generated/
// and Kubernetes object names, and each service's dashboard uid must be its own.
import type { Config } from '../schema/config.js';
import type { ConfigProblem } from '../errors.js';
import { MAX_NAME_LENGTH, serviceDashboardUid } from '../../conventions.js';

function lengthProblem(name: string, path: Array<string | number>, what: string): ConfigProblem[] {
  if (name.length <= MAX_NAME_LENGTH) return [];
  return [
    {
      path,
      message: `is ${name.length} characters, more than ${MAX_NAME_LENGTH}: a ${what} name names files under generated/ (at most 255 bytes each) and Kubernetes objects (at most 253 characters); shorten it`,
    },
  ];
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
  return out;
}
