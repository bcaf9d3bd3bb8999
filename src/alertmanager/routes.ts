// The route tree: one branch per team, critical to its page receiver, warning to its ticket
// receiver, and alerts naming a remediation also (continue: true) to sloforge's receiver.
import type { z } from 'zod';
import type { Team } from '../config/schema/config.js';
import type { tierRouting } from '../config/schema/team.js';
import { ALERT_NAMES, DEFAULT_RECEIVER, NONE_RECEIVER, REMEDIATION_RECEIVER } from '../conventions.js';
import type { Model, TeamModel } from '../model/types.js';
import { businessHoursName, maintenanceName } from './time-intervals.js';
export type Tier = 'page' | 'ticket' | 'remediation';
type Timing = Required<z.output<typeof tierRouting>>;

const GROUP_BY = ['alertname', 'service', 'slo', 'threshold', 'severity'];

// Pages go out fast and repeat while unresolved; tickets may gather for a few minutes and
// repeat daily; remediation should start soon, the receiver's cooldown guards against repeats.
export const DEFAULT_TIMING: Record<Tier, Timing> = {
  page: { groupBy: GROUP_BY, groupWait: '30s', groupInterval: '5m', repeatInterval: '4h' },
  ticket: { groupBy: GROUP_BY, groupWait: '2m', groupInterval: '30m', repeatInterval: '24h' },
  remediation: { groupBy: [...GROUP_BY, 'remediation'], groupWait: '10s', groupInterval: '1m', repeatInterval: '1h' },
};

export interface AmRoute {
  receiver?: string;
  matchers?: string[];
  group_by?: string[];
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  continue?: boolean;
  mute_time_intervals?: string[];
  active_time_intervals?: string[];
  routes?: AmRoute[];
}

export function timing(model: Model, team: Team | undefined, tier: Tier): Timing {
  const pick = (t: Partial<Timing> | undefined) => Object.fromEntries(Object.entries(t ?? {}).filter(([, v]) => v !== undefined));
  return { ...DEFAULT_TIMING[tier], ...pick(model.alertmanager?.routing?.[tier]), ...pick(team?.routing?.[tier]) } as Timing;
}

export function timingFields(t: Timing): AmRoute {
  return { group_by: t.groupBy, group_wait: t.groupWait, group_interval: t.groupInterval, repeat_interval: t.repeatInterval };
}

/** Timing fields that differ from the parent's: children inherit the rest, which keeps the file short. */
function inherited(parent: Timing, t: Timing): AmRoute {
  const own = timingFields(t);
  const from = timingFields(parent);
  return Object.fromEntries(
    Object.entries(own).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(from[k as keyof AmRoute])),
  ) as AmRoute;
}

// Time intervals are not inherited by child routes in Alertmanager, so every route names them.
// Timing equal to `root` is left out (inherited); the Kubernetes target passes the team's own.
export function teamRoute(model: Model, tm: TeamModel, root: Timing): AmRoute {
  const team = tm.config;
  // Validation refuses a tier without receiver for teams that get its alerts; any other team
  // gets none of them, so where they would go does not matter.
  const rx = { page: tm.page ?? NONE_RECEIVER, ticket: tm.ticket ?? NONE_RECEIVER };
  const mute = team.maintenance ? { mute_time_intervals: [maintenanceName(team.name)] } : {};
  const active = team.businessHours ? { active_time_intervals: [businessHoursName(team.name)] } : {};
  const ticket = timing(model, team, 'ticket');
  return {
    receiver: rx.ticket,
    matchers: [`team="${team.name}"`],
    ...inherited(root, ticket),
    ...mute,
    routes: [
      // The receiver's own copy of a ticket that starts a remediation: people get the copy without
      // the remediation, which the page of the same SLO inhibits (prometheus/slo-rules.ts).
      ...(hasTicketRemediations(model)
        ? [
            {
              receiver: REMEDIATION_RECEIVER,
              matchers: [`alertname="${ALERT_NAMES.warning}"`, 'remediation=~".+"'],
              ...inherited(ticket, timing(model, team, 'remediation')),
              ...mute,
            },
          ]
        : []),
      ...(hasRemediations(model)
        ? [
            {
              receiver: REMEDIATION_RECEIVER,
              matchers: ['remediation=~".+"'],
              ...inherited(ticket, timing(model, team, 'remediation')),
              continue: true,
              ...mute,
            },
          ]
        : []),
      { receiver: rx.page, matchers: ['severity="critical"'], ...inherited(ticket, timing(model, team, 'page')), ...mute },
      // Not only warning: an info alert that took the remediation branch must still notify someone.
      { receiver: rx.ticket, matchers: ['severity!="critical"'], ...mute, ...active },
    ],
  };
}

/** Whether some SLO's ticket tier starts its remediation, so that tickets come in two copies. */
export function hasTicketRemediations(model: Pick<Model, 'services'>): boolean {
  return model.services.some((svc) => svc.slos.some((slo) => slo.alerting.remediationSeverities.includes('warning')));
}

/** Without remediations there is nothing for sloforge's receiver to run, so no route to it. */
export function hasRemediations(model: Pick<Model, 'remediations'>): boolean {
  return model.remediations.length > 0;
}

export function routeTree(model: Model): AmRoute {
  const root = timing(model, undefined, 'ticket');
  return {
    receiver: DEFAULT_RECEIVER,
    ...timingFields(root),
    routes: model.teams.map((t) => teamRoute(model, t, root)),
  };
}
