// The Alertmanager target: alertmanager.yml and the notification templates it loads, and the
// same routes and receivers as a fragment for an Alertmanager that already has a config of its
// own (merged into it by `sloforge alertmanager merge`, merge.ts).
import type { Artifact } from '../output/artifact.js';
import { GENERATED_NOTICE, renderYaml } from '../output/render.js';
import {
  DEFAULT_RECEIVER,
  DEFAULT_REMEDIATION_TOKEN_FILE,
  DEFAULT_REMEDIATION_URL,
  NONE_RECEIVER,
  REMEDIATION_MAX_ALERTS,
  REMEDIATION_RECEIVER,
  SLOFORGE_ALERT_NAMES,
  pageReceiverName,
  ticketReceiverName,
} from '../conventions.js';
import type { Model } from '../model/types.js';
import { receiver, receiverYaml, type AmReceiver, type Receiver } from './receivers.js';
import { hasRemediations, routeTree } from './routes.js';
import { groupLabelsOf, inhibitRules } from './inhibit.js';
import { teamTimeIntervals } from './time-intervals.js';
import { TEMPLATE_FILE, TEMPLATE_GLOB, TEMPLATE_TEXT } from './templates.js';

export const ALERTMANAGER_FILE = 'alertmanager/alertmanager.yml';
export const FRAGMENT_FILE = 'alertmanager/fragment.yml';

/**
 * Matches the alerts sloforge's rules raise, and no others: the fragment's route and inhibit
 * rules carry it so that in a shared Alertmanager they touch sloforge's alerts only, and merge
 * recognises an earlier merge's route and rules by it.
 */
export const SLOFORGE_ALERTS_MATCHER = `alertname=~"${SLOFORGE_ALERT_NAMES.join('|')}"`;

/**
 * Alertmanager drops the alerts of a group beyond max_alerts (the body says how many in
 * `truncatedAlerts`), but a body over the receiver's 1 MiB limit would be refused whole and
 * retried forever; alerts reaching the receiver are capped at MAX_ALERT_BYTES, so this many fit.
 */
function remediationReceiver(model: Model): Receiver {
  const r = model.alertmanager?.remediation;
  return receiver(
    REMEDIATION_RECEIVER,
    {
      webhook: {
        url: r?.url ?? DEFAULT_REMEDIATION_URL,
        credentialsFile: r?.credentialsFile ?? DEFAULT_REMEDIATION_TOKEN_FILE,
        maxAlerts: REMEDIATION_MAX_ALERTS,
      },
    },
    undefined,
  );
}

function receivers(model: Model): AmReceiver[] {
  const smtp = model.alertmanager?.smtp;
  const def = model.alertmanager?.defaultReceiver;
  // A receiver without configs is valid and drops what reaches it; the alert stays visible in the UI.
  const out: Receiver[] = [def ? receiver(DEFAULT_RECEIVER, def, smtp) : { name: DEFAULT_RECEIVER, notifiers: [] }];
  if (hasRemediations(model)) out.push(remediationReceiver(model));
  let none = false;
  for (const t of model.teams) {
    none ||= t.page === NONE_RECEIVER || t.ticket === NONE_RECEIVER || t.page === undefined || t.ticket === undefined;
    const { page, ticket } = t.config;
    if (page && !page.none) out.push(receiver(pageReceiverName(t.name), page, smtp));
    if (ticket && !ticket.none) out.push(receiver(ticketReceiverName(t.name), ticket, smtp));
  }
  if (none) out.push({ name: NONE_RECEIVER, notifiers: [] });
  return out.map(receiverYaml);
}

/**
 * What an existing alertmanager.yml needs to route sloforge's alerts: the route tree as one
 * branch for sloforge's alerts (its timing spelt out, so nothing is inherited from the existing
 * root), the receivers and time intervals it names, the inhibit rules scoped to sloforge's
 * alerts, and the template file (relative to this file; merge rewrites it).
 */
export function alertmanagerFragment(model: Model): Record<string, unknown> {
  const { receiver, ...tree } = routeTree(model);
  const intervals = model.teams.flatMap((t) => teamTimeIntervals(t.config));
  return {
    route: { receiver, matchers: [SLOFORGE_ALERTS_MATCHER], ...tree },
    receivers: receivers(model),
    ...(intervals.length > 0 ? { time_intervals: intervals } : {}),
    inhibit_rules: inhibitRules(SLOFORGE_ALERTS_MATCHER, groupLabelsOf(model)),
    templates: [TEMPLATE_FILE.slice('alertmanager/'.length)],
  };
}

export function alertmanagerConfig(model: Model): Record<string, unknown> {
  const intervals = model.teams.flatMap((t) => teamTimeIntervals(t.config));
  return {
    global: { resolve_timeout: model.alertmanager?.resolveTimeout ?? '5m' },
    // Alertmanager resolves this relative to the directory of alertmanager.yml.
    templates: [TEMPLATE_GLOB],
    ...(intervals.length > 0 ? { time_intervals: intervals } : {}),
    route: routeTree(model),
    inhibit_rules: inhibitRules(undefined, groupLabelsOf(model)),
    receivers: receivers(model),
  };
}

/** The notification templates every receiver names; the Kubernetes target ships the same text in a ConfigMap. */
export function templateArtifact(): Artifact {
  return { path: TEMPLATE_FILE, content: `{{/* ${GENERATED_NOTICE} */}}\n${TEMPLATE_TEXT}` };
}

const FRAGMENT_NOTE = [
  'Not a config of its own: merge it into an existing alertmanager.yml with',
  '  npx sloforge alertmanager merge --into /path/to/alertmanager.yml',
  '(docs/alertmanager.md, "Merging into an existing Alertmanager").',
];

export function alertmanagerArtifacts(model: Model): Artifact[] {
  return [
    { path: ALERTMANAGER_FILE, content: renderYaml(alertmanagerConfig(model)) },
    { path: FRAGMENT_FILE, content: renderYaml(alertmanagerFragment(model), FRAGMENT_NOTE) },
    templateArtifact(),
  ];
}
