// Alertmanager checks that span fields: caught here rather than by `amtool check-config` later,
// and a page or ticket that would reach nobody.
import type { Config } from '../schema/config.js';
import type { ConfigPath, ConfigProblem } from '../errors.js';
import { tierReceivers } from '../receivers.js';

type ReceiverSpec = NonNullable<Config['teams'][number]['page']>;

type Severity = 'critical' | 'warning';

/** The severities of the alerts a team's services raise, and one example of each for the error. */
function severitiesOf(cfg: Config, team: string): Map<Severity, string> {
  const out = new Map<Severity, string>();
  const add = (sev: Severity, what: string) => {
    if (!out.has(sev)) out.set(sev, what);
  };
  for (const svc of cfg.services) {
    if (svc.team !== team) continue;
    for (const slo of svc.slos ?? []) {
      if (slo.alerting?.enabled === false) continue;
      if (slo.alerting?.page !== false) add('critical', `SLO ${svc.name}/${slo.name} pages`);
      if (slo.alerting?.ticket !== false) add('warning', `SLO ${svc.name}/${slo.name} tickets`);
      if (slo.alerting?.noData?.enabled !== false)
        add(slo.alerting?.noData?.severity ?? 'warning', `SLO ${svc.name}/${slo.name}'s no-data alert`);
    }
    for (const th of svc.thresholds ?? []) {
      if (th.critical !== undefined) add('critical', `threshold ${svc.name}/${th.name} has a critical level`);
      if (th.warning !== undefined) add('warning', `threshold ${svc.name}/${th.name} has a warning level`);
      if (th.noData?.enabled !== false) add(th.noData?.severity ?? 'warning', `threshold ${svc.name}/${th.name}'s no-data alert`);
    }
  }
  return out;
}

/** A tier whose alerts would reach nobody, unless the team said `{ none: true }` on purpose. */
function unreachable(cfg: Config): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  cfg.teams.forEach((t, i) => {
    const rx = tierReceivers(t, cfg.alertmanager?.defaultReceiver !== undefined);
    const gets = severitiesOf(cfg, t.name);
    const critical = gets.get('critical');
    const warning = gets.get('warning');
    if (critical !== undefined && rx.page === undefined) {
      out.push({
        path: ['teams', i, 'page'],
        message: `team "${t.name}" gets critical alerts (${critical}) but they would reach nobody: give a page (or ticket) receiver, set alertmanager.defaultReceiver, or write page: { none: true } to drop them on purpose`,
      });
    }
    if (warning !== undefined && rx.ticket === undefined) {
      out.push({
        path: ['teams', i, 'ticket'],
        message: `team "${t.name}" gets warning alerts (${warning}) but they would reach nobody: give a ticket receiver, set alertmanager.defaultReceiver, or write ticket: { none: true } to drop them on purpose`,
      });
    }
  });
  return out;
}

function emailProblems(spec: Pick<ReceiverSpec, 'email'> | undefined, at: ConfigPath, cfg: Config): ConfigProblem[] {
  const email = spec?.email;
  if (!email) return [];
  const smtp = cfg.alertmanager?.smtp;
  const out: ConfigProblem[] = [];
  // Alertmanager 0.25 refuses an email receiver without both, unless `global` provides them.
  if (email.from === undefined && smtp?.from === undefined) {
    out.push({ path: [...at, 'email', 'from'], message: 'is required (or set alertmanager.smtp.from for every email receiver)' });
  }
  if (email.smarthost === undefined && smtp?.smarthost === undefined) {
    out.push({ path: [...at, 'email', 'smarthost'], message: 'is required (or set alertmanager.smtp.smarthost for every email receiver)' });
  }
  return out;
}

export function alertmanagerProblems(cfg: Config): ConfigProblem[] {
  const out = [...unreachable(cfg), ...emailProblems(cfg.alertmanager?.defaultReceiver, ['alertmanager', 'defaultReceiver'], cfg)];
  cfg.teams.forEach((t, i) => {
    out.push(...emailProblems(t.page, ['teams', i, 'page'], cfg), ...emailProblems(t.ticket, ['teams', i, 'ticket'], cfg));
  });
  return out;
}
