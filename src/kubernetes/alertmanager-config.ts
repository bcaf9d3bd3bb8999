// One AlertmanagerConfig (monitoring.coreos.com/v1alpha1) per team: the team's branch of the
// route tree in generated/alertmanager/alertmanager.yml, its receivers, time intervals and the
// inhibit rules, all built by src/alertmanager/ and only re-spelled here.
//
// What the Operator does with it (docs/kubernetes.md): it prefixes every name with
// `<namespace>/<object name>/`, adds `namespace="<namespace>"` to the top route's matchers and
// to both sides of every inhibit rule, and sets `continue: true` on the top route. Alerts reach
// these routes, and inhibit each other, only when they carry that namespace label; sloforge
// adds it to every rule (kubernetes.alertmanagerConfig.namespaceLabel).
import type { IAlertmanagerConfig } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/AlertmanagerConfig';
import type { IRoute } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/Route';
import type { IMatcher } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/Matcher';
import type { IInhibitRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/InhibitRule';
import type { IMuteTimeInterval } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/MuteTimeInterval';
import type { IReceiver } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/Receiver';
import path from 'node:path';
import { secretKeyOf } from '../config/kubernetes-secrets.js';
import {
  DEFAULT_RECEIVER,
  K8S,
  LABEL,
  NONE_RECEIVER,
  REMEDIATION_MAX_ALERTS,
  REMEDIATION_RECEIVER,
  pageReceiverName,
  ticketReceiverName,
} from '../conventions.js';
import type { KubernetesModel, Model, TeamModel } from '../model/types.js';
import type { Artifact } from '../output/artifact.js';
import { groupLabelsOf, inhibitRules } from '../alertmanager/inhibit.js';
import { receiver as buildReceiver } from '../alertmanager/receivers.js';
import { teamRoute, timing, timingFields, type AmRoute } from '../alertmanager/routes.js';
import { templateArtifact } from '../alertmanager/target.js';
import { teamTimeIntervals, type AmTimeInterval } from '../alertmanager/time-intervals.js';
import { crdReceiver, type SecretSource } from './am-receivers.js';
import { alertmanagerConfig, configMap, manifest, metadata } from './meta.js';
import { InternalError } from '../errors.js';

export const ALERTMANAGER_CONFIGS_DIR = 'alertmanager-configs';

type MatchType = NonNullable<IMatcher['matchType']>;
const MATCHER_RE = /^([a-zA-Z_][a-zA-Z0-9_]*)(=~|!~|!=|=)(".*")$/;

/** `severity!="critical"` as the CRD's `{ name, matchType, value }`. */
export function crdMatcher(text: string): IMatcher {
  const m = MATCHER_RE.exec(text);
  if (!m) throw new InternalError(`cannot split the matcher ${text}`);
  return { name: m[1]!, matchType: m[2] as MatchType, value: JSON.parse(m[3]!) as string };
}

function crdRoute(r: AmRoute): IRoute {
  return {
    receiver: r.receiver,
    matchers: r.matchers?.map(crdMatcher),
    groupBy: r.group_by,
    groupWait: r.group_wait,
    groupInterval: r.group_interval,
    repeatInterval: r.repeat_interval,
    continue: r.continue,
    muteTimeIntervals: r.mute_time_intervals,
    activeTimeIntervals: r.active_time_intervals,
    routes: r.routes?.map(crdRoute),
  };
}

/** `"1:7"` or `"5"` as the CRD's `{ start, end }`. */
function dayRange(text: string): { start: number; end: number } {
  const [start, end = start] = text.split(':').map(Number);
  return { start: start!, end: end! };
}

// The CRD calls every named interval a mute time interval; routes name them for muting and
// for `activeTimeIntervals` alike. It has no `location`: validation allowed only UTC here.
function crdTimeInterval(t: AmTimeInterval): IMuteTimeInterval {
  return {
    name: t.name,
    timeIntervals: t.time_intervals.map((i) => ({
      times: (i.times as Array<{ start_time: string; end_time: string }> | undefined)?.map((r) => ({
        startTime: r.start_time,
        endTime: r.end_time,
      })),
      weekdays: i.weekdays as string[] | undefined,
      daysOfMonth: (i.days_of_month as string[] | undefined)?.map(dayRange),
      months: i.months as string[] | undefined,
      years: i.years as string[] | undefined,
    })),
  };
}

/** Every receiver a route tree names, in the order it names them. */
function receiverNames(r: AmRoute, out: string[] = []): string[] {
  if (r.receiver !== undefined && !out.includes(r.receiver)) out.push(r.receiver);
  for (const child of r.routes ?? []) receiverNames(child, out);
  return out;
}

/** Where the Kubernetes Secret holding a file's content sits: its own file name as the key. */
function secretsOf(secret: string, receiver: string): SecretSource {
  return {
    file: (file) => ({ name: secret, key: secretKeyOf(file) }),
    inline: (what) => ({ name: secret, key: `${receiver}-${what}` }),
  };
}

function receiver(model: Model, k: KubernetesModel, secret: string, tm: TeamModel, name: string): IReceiver {
  const smtp = model.alertmanager?.smtp;
  const own = (spec: Parameters<typeof buildReceiver>[1]) => crdReceiver(buildReceiver(name, spec, smtp), secretsOf(secret, name));
  if (name === pageReceiverName(tm.name) && tm.config.page) return own(tm.config.page);
  if (name === ticketReceiverName(tm.name) && tm.config.ticket) return own(tm.config.ticket);
  if (name === DEFAULT_RECEIVER) {
    const def = model.alertmanager?.defaultReceiver;
    return def ? own(def) : { name };
  }
  if (name === REMEDIATION_RECEIVER) {
    const hook = k.remediationWebhook;
    // The receiver names a credentials file; in the cluster the token comes from its own Secret.
    const webhook = buildReceiver(
      name,
      { webhook: { url: hook.url, credentialsFile: 'kubernetes.receiver.tokenSecret', maxAlerts: REMEDIATION_MAX_ALERTS } },
      undefined,
    );
    return crdReceiver(webhook, { file: () => hook.token, inline: () => hook.token });
  }
  if (name === NONE_RECEIVER) return { name };
  throw new InternalError(`team ${tm.name}'s route names receiver ${name}, which the AlertmanagerConfig cannot build`);
}

function inhibitions(model: Model, team: string): IInhibitRule[] {
  // Each team's object holds the rules for its own alerts only: the same rules in every team's
  // object would each be added to Alertmanager once more (the Operator does not merge them).
  const own = `${LABEL.team}=${JSON.stringify(team)}`;
  return inhibitRules(undefined, groupLabelsOf(model)).map((r) => ({
    sourceMatch: [...r.source_matchers, own].map(crdMatcher),
    targetMatch: [...r.target_matchers, own].map(crdMatcher),
    equal: r.equal,
  }));
}

function teamConfig(model: Model, k: KubernetesModel, secret: string, tm: TeamModel): IAlertmanagerConfig {
  // The top route becomes a child of the user's root route and would inherit its timing, so it
  // states the team's own; its children leave out what equals it, as in alertmanager.yml.
  const own = timing(model, tm.config, 'ticket');
  const route: AmRoute = { ...teamRoute(model, tm, own), ...timingFields(own) };
  const intervals = teamTimeIntervals(tm.config);
  return alertmanagerConfig({
    metadata: metadata(k, K8S.alertmanagerConfig(tm.name)),
    spec: {
      route: crdRoute(route),
      receivers: receiverNames(route).map((name) => receiver(model, k, secret, tm, name)),
      inhibitRules: inhibitions(model, tm.name),
      ...(intervals.length > 0 ? { muteTimeIntervals: intervals.map(crdTimeInterval) } : {}),
    },
  });
}

export function alertmanagerConfigArtifacts(model: Model, k: KubernetesModel): Artifact[] {
  const am = k.alertmanagerConfig;
  if (!am) return [];
  const template = templateArtifact();
  return [
    ...model.teams.map((tm) => manifest(`${ALERTMANAGER_CONFIGS_DIR}/${tm.name}.yaml`, teamConfig(model, k, am.secret, tm))),
    // The receivers' texts name these templates; the Alertmanager loads them from this
    // ConfigMap once it is listed in its `configMaps` and its config's `templates` (docs/kubernetes.md).
    // In a folder of its own: a team may be called "templates".
    manifest(
      `${ALERTMANAGER_CONFIGS_DIR}/templates/templates.yaml`,
      configMap({
        metadata: metadata(k, K8S.templatesConfigMap),
        data: { [path.posix.basename(template.path)]: template.content },
      }),
    ),
  ];
}
