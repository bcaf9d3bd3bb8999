// The Alertmanager target: alertmanager.yml and the notification templates it loads.
import type { Artifact } from '../output/artifact.js';
import { GENERATED_NOTICE, renderYaml } from '../output/render.js';
import {
  DEFAULT_RECEIVER, DEFAULT_REMEDIATION_TOKEN_FILE, DEFAULT_REMEDIATION_URL, NONE_RECEIVER, REMEDIATION_MAX_ALERTS, REMEDIATION_RECEIVER,
  pageReceiverName, ticketReceiverName,
} from '../conventions.js';
import type { Model } from '../model/types.js';
import { receiverBlock, type AmReceiver } from './receivers.js';
import { hasRemediations, routeTree } from './routes.js';
import { inhibitRules } from './inhibit.js';
import { teamTimeIntervals } from './time-intervals.js';
import { TEMPLATE_FILE, TEMPLATE_GLOB, TEMPLATE_TEXT } from './templates.js';

export const ALERTMANAGER_FILE = 'alertmanager/alertmanager.yml';

/**
 * Alertmanager drops the alerts of a group beyond max_alerts (the body says how many in
 * `truncatedAlerts`), but a body over the receiver's 1 MiB limit would be refused whole and
 * retried forever; alerts reaching the receiver are capped at MAX_ALERT_BYTES, so this many fit.
 */
function remediationReceiver(model: Model): AmReceiver {
  const r = model.alertmanager?.remediation;
  return receiverBlock(REMEDIATION_RECEIVER, {
    webhook: { url: r?.url ?? DEFAULT_REMEDIATION_URL, credentialsFile: r?.credentialsFile ?? DEFAULT_REMEDIATION_TOKEN_FILE, maxAlerts: REMEDIATION_MAX_ALERTS },
  }, undefined);
}

function receivers(model: Model): AmReceiver[] {
  const smtp = model.alertmanager?.smtp;
  const def = model.alertmanager?.defaultReceiver;
  // A receiver without configs is valid and drops what reaches it; the alert stays visible in the UI.
  const out: AmReceiver[] = [def ? receiverBlock(DEFAULT_RECEIVER, def, smtp) : { name: DEFAULT_RECEIVER }];
  if (hasRemediations(model)) out.push(remediationReceiver(model));
  let none = false;
  for (const t of model.teams) {
    none ||= t.page === NONE_RECEIVER || t.ticket === NONE_RECEIVER || t.page === undefined || t.ticket === undefined;
    const { page, ticket } = t.config;
    if (page && !page.none) out.push(receiverBlock(pageReceiverName(t.name), page, smtp));
    if (ticket && !ticket.none) out.push(receiverBlock(ticketReceiverName(t.name), ticket, smtp));
  }
  if (none) out.push({ name: NONE_RECEIVER });
  return out;
}

export function alertmanagerConfig(model: Model): Record<string, unknown> {
  const intervals = model.teams.flatMap((t) => teamTimeIntervals(t.config));
  return {
    global: { resolve_timeout: model.alertmanager?.resolveTimeout ?? '5m' },
    // Alertmanager resolves this relative to the directory of alertmanager.yml.
    templates: [TEMPLATE_GLOB],
    ...(intervals.length > 0 ? { time_intervals: intervals } : {}),
    route: routeTree(model),
    inhibit_rules: inhibitRules([...new Set(model.services.flatMap((svc) => svc.slos.flatMap((slo) => slo.groupBy)))].sort()),
    receivers: receivers(model),
  };
}

export function alertmanagerArtifacts(model: Model): Artifact[] {
  return [
    { path: ALERTMANAGER_FILE, content: renderYaml(alertmanagerConfig(model)) },
    { path: TEMPLATE_FILE, content: `{{/* ${GENERATED_NOTICE} */}}\n${TEMPLATE_TEXT}` },
  ];
}
