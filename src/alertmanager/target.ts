// The Alertmanager target: alertmanager.yml and the notification templates it loads.
import type { Config } from '../config/schema/config.js';
import type { Artifact } from '../output/artifact.js';
import { GENERATED_NOTICE, renderYaml } from '../output/render.js';
import { receiverBlock, type AmReceiver } from './receivers.js';
import { DEFAULT_RECEIVER, NONE_RECEIVER, REMEDIATION_RECEIVER, hasRemediations, pageReceiverName, routeTree, teamReceivers, ticketReceiverName } from './routes.js';
import { inhibitRules } from './inhibit.js';
import { teamTimeIntervals } from './time-intervals.js';
import { TEMPLATE_FILE, TEMPLATE_GLOB, TEMPLATE_TEXT } from './templates.js';

export const ALERTMANAGER_FILE = 'alertmanager/alertmanager.yml';

/** Matches the docker-compose service and the receiver's default port and path. */
export const DEFAULT_REMEDIATION_URL = 'http://sloforge-receiver:9095/alerts';
export const DEFAULT_REMEDIATION_TOKEN_FILE = '/etc/alertmanager/secrets/sloforge-receiver-token';

/**
 * Alerts per webhook message to the receiver. Alertmanager drops the alerts of a group beyond it
 * (the body says how many in `truncatedAlerts`), but a body over the receiver's 1 MiB limit
 * would be refused whole and retried forever. Alerts that reach the receiver are capped at
 * MAX_ALERT_BYTES each, so this many always fit.
 */
export const REMEDIATION_MAX_ALERTS = 32;
export { MAX_ALERT_BYTES } from '../remediation/limits.js';

function remediationReceiver(cfg: Config): AmReceiver {
  const r = cfg.alertmanager?.remediation;
  return receiverBlock(REMEDIATION_RECEIVER, {
    webhook: { url: r?.url ?? DEFAULT_REMEDIATION_URL, credentialsFile: r?.credentialsFile ?? DEFAULT_REMEDIATION_TOKEN_FILE, maxAlerts: REMEDIATION_MAX_ALERTS },
  }, undefined);
}

function receivers(cfg: Config): AmReceiver[] {
  const smtp = cfg.alertmanager?.smtp;
  const def = cfg.alertmanager?.defaultReceiver;
  // A receiver without configs is valid and drops what reaches it; the alert stays visible in the UI.
  const out: AmReceiver[] = [def ? receiverBlock(DEFAULT_RECEIVER, def, smtp) : { name: DEFAULT_RECEIVER }];
  if (hasRemediations(cfg)) out.push(remediationReceiver(cfg));
  let none = false;
  for (const t of cfg.teams) {
    const rx = teamReceivers(cfg, t);
    none ||= rx.page === NONE_RECEIVER || rx.ticket === NONE_RECEIVER || rx.page === undefined || rx.ticket === undefined;
    if (t.page && !t.page.none) out.push(receiverBlock(pageReceiverName(t.name), t.page, smtp));
    if (t.ticket && !t.ticket.none) out.push(receiverBlock(ticketReceiverName(t.name), t.ticket, smtp));
  }
  if (none) out.push({ name: NONE_RECEIVER });
  return out;
}

export function alertmanagerConfig(cfg: Config): Record<string, unknown> {
  const intervals = cfg.teams.flatMap(teamTimeIntervals);
  return {
    global: { resolve_timeout: cfg.alertmanager?.resolveTimeout ?? '5m' },
    // Alertmanager resolves this relative to the directory of alertmanager.yml.
    templates: [TEMPLATE_GLOB],
    ...(intervals.length > 0 ? { time_intervals: intervals } : {}),
    route: routeTree(cfg),
    inhibit_rules: inhibitRules(),
    receivers: receivers(cfg),
  };
}

export function alertmanagerArtifacts(cfg: Config): Artifact[] {
  return [
    { path: ALERTMANAGER_FILE, content: renderYaml(alertmanagerConfig(cfg)) },
    { path: TEMPLATE_FILE, content: `{{/* ${GENERATED_NOTICE} */}}\n${TEMPLATE_TEXT}` },
  ];
}
