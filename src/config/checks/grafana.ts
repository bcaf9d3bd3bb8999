// The grafana section names teams that must exist.
import type { Config } from '../schema/config.js';
import type { ConfigProblem } from '../errors.js';

/** `teams`: every team name declared, including teams that failed the schema. */
export function grafanaProblems(cfg: Config, teams: ReadonlySet<string> = new Set(cfg.teams.map((t) => t.name))): ConfigProblem[] {
  return Object.keys(cfg.grafana?.folders ?? {})
    .filter((team) => !teams.has(team))
    .map((team) => ({ path: ['grafana', 'folders', team], message: `unknown team "${team}" (teams: ${[...teams].join(', ') || 'none'})` }));
}
