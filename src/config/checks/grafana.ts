// The grafana section names teams that must exist.
import type { Config } from '../schema/config.js';
import type { ConfigProblem } from '../errors.js';

export function grafanaProblems(cfg: Config): ConfigProblem[] {
  const teams = new Set(cfg.teams.map((t) => t.name));
  return Object.keys(cfg.grafana?.folders ?? {})
    .filter((team) => !teams.has(team))
    .map((team) => ({ path: ['grafana', 'folders', team], message: `unknown team "${team}" (teams: ${[...teams].join(', ') || 'none'})` }));
}
