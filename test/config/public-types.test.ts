// The package's declarations describe the config with the written-out types of
// src/config/public-types.ts, so that a user's tsc never loads zod; the schemas decide what is
// valid. These assertions are checked by `tsc -p tsconfig.json` (npm test and npm run lint run
// it): a type that drifts from its schema's z.input or z.output, a field added, dropped, made
// optional or typed otherwise, fails the type-check here, naming the type.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import type { z } from 'zod';
import type * as api from '../../src/index.js';
import type * as plain from '../../src/config/public-types.js';
import type { config, service } from '../../src/config/schema/config.js';
import type { slo, sli, sloAlerting, ratioSli, latencySli, querySli, boolGaugeSli } from '../../src/config/schema/slo.js';
import type { threshold, noData, percentile, ratio, predict, anomaly } from '../../src/config/schema/threshold.js';
import type {
  remediation,
  remediationAction,
  httpAction,
  kubernetesScaleAction,
  commandAction,
} from '../../src/config/schema/remediation.js';
import type { team, teamReceiver, receiver, teamRouting, tierRouting, timeInterval, timeRange } from '../../src/config/schema/team.js';
import type { grafana, grafanaDatasource } from '../../src/config/schema/grafana.js';
import type { alertmanagerSettings } from '../../src/config/schema/alertmanager.js';
import type { prometheusSettings, ruleGroupSettings } from '../../src/config/schema/prometheus.js';
import type { kubernetesSettings } from '../../src/config/schema/kubernetes.js';

// Identical, not merely assignable both ways: optionality, readonly and `any` count too.
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;
type In<S extends z.ZodType> = z.input<S>;
type Out<S extends z.ZodType> = z.output<S>;

// What index.ts exports, against the schemas.
export type PublicTypes = [
  Assert<Equal<api.ConfigInput, In<typeof config>>>,
  Assert<Equal<api.Config, Out<typeof config>>>,
  Assert<Equal<api.ServiceInput, In<typeof service>>>,
  Assert<Equal<api.Service, Out<typeof service>>>,
  Assert<Equal<api.SloInput, In<typeof slo>>>,
  Assert<Equal<api.Slo, Out<typeof slo>>>,
  Assert<Equal<api.ThresholdInput, In<typeof threshold>>>,
  Assert<Equal<api.Threshold, Out<typeof threshold>>>,
  Assert<Equal<api.RemediationInput, In<typeof remediation>>>,
  Assert<Equal<api.Remediation, Out<typeof remediation>>>,
  Assert<Equal<api.TeamInput, In<typeof team>>>,
  Assert<Equal<api.Team, Out<typeof team>>>,
];

// The functions index.ts exports, with the signatures they had when their types came from zod.
export type PublicFunctions = [
  Assert<Equal<typeof api.defineConfig, (cfg: In<typeof config>) => In<typeof config>>>,
  Assert<Equal<typeof api.defineService, (svc: In<typeof service>) => In<typeof service>>>,
  Assert<Equal<typeof api.defineTeam, (t: In<typeof team>) => In<typeof team>>>,
  Assert<Equal<typeof api.defineRemediation, (r: In<typeof remediation>) => In<typeof remediation>>>,
  Assert<Equal<typeof api.defineThresholds, (list: In<typeof threshold>[]) => In<typeof threshold>[]>>,
  Assert<Equal<typeof api.receiverThresholds, (opts: api.ReceiverMonitoringOptions) => In<typeof threshold>[]>>,
  Assert<Equal<typeof api.validateConfig, (input: unknown) => Out<typeof config>>>,
  Assert<Equal<typeof api.compile, (cfg: Out<typeof config>) => api.Artifact[]>>,
];

// The parts, so that a difference deep in Config is reported where it is.
export type Parts = [
  Assert<Equal<plain.Sli, Out<typeof sli>>>,
  Assert<Equal<plain.RatioSli, Out<typeof ratioSli>>>,
  Assert<Equal<plain.LatencySli, Out<typeof latencySli>>>,
  Assert<Equal<plain.QuerySli, Out<typeof querySli>>>,
  Assert<Equal<plain.BoolGaugeSli, Out<typeof boolGaugeSli>>>,
  Assert<Equal<plain.SloAlerting, Out<typeof sloAlerting>>>,
  Assert<Equal<plain.NoData, Out<typeof noData>>>,
  Assert<Equal<plain.PercentileThreshold, Out<typeof percentile>>>,
  Assert<Equal<plain.RatioThreshold, Out<typeof ratio>>>,
  Assert<Equal<plain.PredictThreshold, Out<typeof predict>>>,
  Assert<Equal<plain.AnomalyThreshold, Out<typeof anomaly>>>,
  Assert<Equal<plain.RemediationAction, Out<typeof remediationAction>>>,
  Assert<Equal<plain.RemediationActionInput, In<typeof remediationAction>>>,
  Assert<Equal<plain.HttpAction, Out<typeof httpAction>>>,
  Assert<Equal<plain.HttpActionInput, In<typeof httpAction>>>,
  Assert<Equal<plain.KubernetesScaleAction, Out<typeof kubernetesScaleAction>>>,
  Assert<Equal<plain.CommandAction, Out<typeof commandAction>>>,
  Assert<Equal<plain.TeamReceiver, Out<typeof teamReceiver>>>,
  Assert<Equal<plain.Receiver, Out<typeof receiver>>>,
  Assert<Equal<plain.TeamRouting, Out<typeof teamRouting>>>,
  Assert<Equal<plain.TierRouting, Out<typeof tierRouting>>>,
  Assert<Equal<plain.TimeInterval, Out<typeof timeInterval>>>,
  Assert<Equal<plain.TimeRange, Out<typeof timeRange>>>,
  Assert<Equal<plain.GrafanaSettings, Out<typeof grafana>>>,
  Assert<Equal<plain.GrafanaDatasource, Out<typeof grafanaDatasource>>>,
  Assert<Equal<plain.AlertmanagerSettings, Out<typeof alertmanagerSettings>>>,
  Assert<Equal<plain.PrometheusSettings, Out<typeof prometheusSettings>>>,
  Assert<Equal<plain.RuleGroupSettings, Out<typeof ruleGroupSettings>>>,
  Assert<Equal<plain.KubernetesSettings, Out<typeof kubernetesSettings>>>,
];

test('the public types module holds types only: nothing of it exists at run time', async () => {
  const mod: Record<string, unknown> = await import('../../src/config/public-types.js');
  assert.deepEqual(Object.keys(mod), []);
});

// tsconfig.json leaves exactOptionalPropertyTypes off, and there `a?: T` and `a?: T | undefined`
// are one type, so the assertions above cannot see a `| undefined` left out. The tsconfig of
// `sloforge init` turns it on, and there a field without it refuses the `undefined` the zod-inferred
// type took: so every optional field must say it, as zod's inference does.
test('every optional field of the schema-derived types takes undefined, as zod infers it', () => {
  const file = fileURLToPath(new URL('../../src/config/public-types.ts', import.meta.url));
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const takesUndefined = (type: ts.TypeNode | undefined) =>
    type?.kind === ts.SyntaxKind.UnknownKeyword ||
    (type !== undefined && ts.isUnionTypeNode(type) && type.types.some((t) => t.kind === ts.SyntaxKind.UndefinedKeyword));
  const without: string[] = [];
  let optional = 0;
  const visit = (node: ts.Node, owner: string): void => {
    // Written for receiverThresholds(), not inferred from a schema: its own `?: string` stays.
    if (ts.isInterfaceDeclaration(node) && node.name.text === 'ReceiverMonitoringOptions') return;
    const name = ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node) ? node.name.text : owner;
    if (ts.isPropertySignature(node) && node.questionToken) {
      optional++;
      if (!takesUndefined(node.type)) without.push(`${name}.${node.name.getText(source)}`);
    }
    ts.forEachChild(node, (child) => visit(child, name));
  };
  visit(source, '');
  assert.ok(optional > 100, `found only ${optional} optional fields: is this still the file of the public types?`);
  assert.deepEqual(without, [], 'optional fields without `| undefined`');
});
