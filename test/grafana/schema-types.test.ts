// Compile-time check (run by `tsc -p .` in `npm test`) that what the foundation SDK builds is a
// dashboard by Grafana's own TypeScript types in @grafana/schema.
import type { Dashboard as GrafanaDashboard } from '@grafana/schema';
import type { Dataquery } from '@grafana/grafana-foundation-sdk/cog';
import type { Dataquery as PrometheusQuery } from '@grafana/grafana-foundation-sdk/prometheus';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serviceDashboard } from '../../src/grafana/service-dashboard.js';
import { overviewDashboard } from '../../src/grafana/overview-dashboard.js';
import { resolveModel } from '../../src/model/resolve.js';
import { fixtureConfig } from './fixture.js';

/**
 * Both packages declare the same enums separately, and TypeScript enums only match themselves.
 * In JSON an enum is its value, so compare the types with every enum replaced by its values.
 * The SDK types targets as an opaque Dataquery; ours are all Prometheus queries, and Layout gives
 * each a refId (validate.ts checks both in the generated JSON).
 */
type PrometheusTarget = Pick<PrometheusQuery, 'expr' | 'legendFormat' | 'instant' | 'range' | 'interval'> & {
  refId: string;
  datasource?: { type?: string; uid?: string };
  format?: `${NonNullable<PrometheusQuery['format']>}`;
};

type AsJson<T> = T extends Dataquery
  ? PrometheusTarget
  : T extends string
    ? `${T}`
    : T extends number | boolean | null | undefined
      ? T extends number
        ? number
        : T
      : T extends ReadonlyArray<infer U>
        ? AsJson<U>[]
        : T extends (...args: never[]) => unknown
          ? never
          : { [K in keyof T]: AsJson<T[K]> };

// gnetId (a grafana.com listing id) is a string in the SDK and a number in @grafana/schema; we never set it.
type Expected = AsJson<Omit<GrafanaDashboard, 'gnetId'>>;
type Built = AsJson<Omit<ReturnType<typeof serviceDashboard>, 'gnetId'>>;

const cfg = resolveModel(fixtureConfig());
const ds = cfg.grafana.datasource;

test('service and overview dashboards are Dashboards by @grafana/schema (checked by tsc)', () => {
  const service: Expected = serviceDashboard(cfg.services[0]!, ds) as Built;
  const overview: Expected = overviewDashboard(cfg, ds) as Built;
  assert.equal(service.schemaVersion, overview.schemaVersion);
});
// Guards that the comparison is not vacuous: a panel id as text must not pass, nor may Built be any.
type WrongPanels = Omit<Built, 'panels'> & { panels: Array<{ type: string; id: string }> };
export const wrongPanelsRejected: WrongPanels extends Expected ? 'accepted' : 'rejected' = 'rejected';
export const builtIsTyped: 0 extends 1 & Built ? 'any' : 'typed' = 'typed';
