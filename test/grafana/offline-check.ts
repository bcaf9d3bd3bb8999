// Offline checks of generated dashboards, since Grafana cannot run in CI: every query parses,
// reads only metrics something produces, every datasource and link resolves, uids are unique,
// and the rules of Grafana's dashboard linter hold (datasource variable, units, $__rate_interval,
// titled panels). Works on the JSON as written, not on the builders, so it checks what ships.
import { parse as parseYaml } from 'yaml';
import type { Config } from '../../src/config/schema/config.js';
import type { Artifact } from '../../src/output/artifact.js';
import { resolveModel } from '../../src/model/resolve.js';
import { sliReads } from '../../src/model/sli.js';
import { measuredExpr } from '../../src/prometheus/threshold-rules.js';
import { DATASOURCE_VARIABLE } from '../../src/grafana/datasource.js';
import { promqlReads } from '../../src/promql/reads.js';

/** The parts of a classic dashboard's JSON the checks read. */
export interface DashboardJson {
  uid?: string;
  title?: string;
  templating?: { list?: Array<{ name?: string; type?: string; query?: unknown; current?: { value?: unknown } }> };
  links?: Array<{ type?: string; url?: string }>;
  panels?: PanelJson[];
}

export interface PanelJson {
  id?: number;
  type?: string;
  title?: string;
  description?: string;
  datasource?: { type?: string; uid?: string };
  gridPos?: { x?: number; y?: number; w?: number; h?: number };
  fieldConfig?: { defaults?: { unit?: string }; overrides?: Array<{ properties?: Array<{ id?: string; value?: unknown }> }> };
  targets?: Array<{ refId?: string; expr?: string; datasource?: { type?: string; uid?: string } }>;
  panels?: PanelJson[];
}

export interface CheckContext {
  /** Metrics a generated rule writes (ALERTS and ALERTS_FOR_STATE when there is an alerting rule). */
  produced: ReadonlySet<string>;
  /** Metrics the config names: SLI selectors and threshold expressions. */
  configured: ReadonlySet<string>;
  /** Uids of the provisioned datasources. */
  datasourceUids: ReadonlySet<string>;
}

/**
 * Sample values for Grafana's built-in variables. $__rate_interval gets a window nobody writes
 * by hand, so a rate over it is recognisable after substitution.
 */
export const RATE_INTERVAL_SAMPLE = '3m7s';
const BUILTIN_SAMPLES: Record<string, string> = {
  __rate_interval: RATE_INTERVAL_SAMPLE,
  __interval: '1m',
  __range: '6h',
  __range_s: '21600',
  __range_ms: '21600000',
  __interval_ms: '60000',
};

const VARIABLE_RE = /\$(?:\{(\w+)(?::\w+)?\}|(\w+)|\[\[(\w+)\]\])/g;

/** Fills Grafana variables with sample values; names no sample exists for are returned apart. */
export function substituteVariables(expr: string, samples: Record<string, string> = BUILTIN_SAMPLES): { expr: string; unknown: string[] } {
  const unknown: string[] = [];
  const out = expr.replace(VARIABLE_RE, (whole, a?: string, b?: string, c?: string) => {
    const name = (a ?? b ?? c)!;
    if (/^\d/.test(name)) return whole; // $1 in label_replace is PromQL's, not Grafana's
    const value = samples[name];
    if (value === undefined) unknown.push(name);
    return value ?? whole;
  });
  return { expr: out, unknown };
}

/** Metrics written by the generated rule files among `artifacts`. */
export function producedMetrics(artifacts: readonly Artifact[]): Set<string> {
  const out = new Set<string>();
  for (const a of artifacts) {
    if (!/^prometheus\/rules\/.*\.ya?ml$/.test(a.path)) continue;
    const doc = parseYaml(a.content) as { groups?: Array<{ rules?: Array<{ record?: string; alert?: string }> }> };
    for (const g of doc.groups ?? []) {
      for (const r of g.rules ?? []) {
        if (r.record) out.add(r.record);
        if (r.alert) {
          out.add('ALERTS');
          out.add('ALERTS_FOR_STATE');
        }
      }
    }
  }
  return out;
}

/** Metrics the config itself names, in SLI selectors and threshold expressions. */
export function configuredMetrics(cfg: Config): Set<string> {
  const out = new Set<string>();
  for (const svc of resolveModel(cfg).services) {
    for (const slo of svc.slos) {
      for (const sel of sliReads(slo.sli)) out.add(sel.metric);
    }
    for (const th of svc.thresholds) for (const m of promqlReads(measuredExpr(th)).metrics) out.add(m);
  }
  return out;
}

export interface PanelQuery {
  dashboard: string;
  panelId: number | undefined;
  panelTitle: string;
  refId: string | undefined;
  /** As written in the dashboard. */
  expr: string;
}

function allPanels(d: DashboardJson): PanelJson[] {
  return (d.panels ?? []).flatMap((p) => [p, ...(p.panels ?? [])]);
}

export function panelQueries(dashboards: readonly DashboardJson[]): PanelQuery[] {
  return dashboards.flatMap((d) =>
    allPanels(d).flatMap((p) =>
      (p.targets ?? []).map((t) => ({
        dashboard: d.uid ?? '?',
        panelId: p.id,
        panelTitle: p.title ?? '',
        refId: t.refId,
        expr: t.expr ?? '',
      })),
    ),
  );
}

const UID_RE = /^[a-zA-Z0-9_-]{1,40}$/;
const VARIABLE_REF = [`\${${DATASOURCE_VARIABLE}}`, `$${DATASOURCE_VARIABLE}`];

export function checkDashboards(dashboards: readonly DashboardJson[], ctx: CheckContext): string[] {
  const problems: string[] = [];
  const uids = new Map<string, number>();
  for (const d of dashboards) if (d.uid) uids.set(d.uid, (uids.get(d.uid) ?? 0) + 1);

  for (const d of dashboards) {
    const where = `dashboard "${d.uid ?? d.title ?? '?'}"`;
    const problem = (at: string, message: string) => problems.push(`${where}${at}: ${message}`);
    if (!d.uid || !UID_RE.test(d.uid)) problem('', `uid ${JSON.stringify(d.uid)} is not a Grafana uid (1-40 of [a-zA-Z0-9_-])`);
    else if (uids.get(d.uid)! > 1) problem('', `uid "${d.uid}" is used by ${uids.get(d.uid)} dashboards`);
    if (!d.title) problem('', 'has no title');

    const dsVar = (d.templating?.list ?? []).find((v) => v.name === DATASOURCE_VARIABLE);
    if (!dsVar || dsVar.type !== 'datasource' || dsVar.query !== 'prometheus') {
      problem('', `needs a "${DATASOURCE_VARIABLE}" variable of type datasource for prometheus (template-datasource-rule)`);
    } else if (!ctx.datasourceUids.has(String(dsVar.current?.value))) {
      problem('', `datasource variable defaults to ${JSON.stringify(dsVar.current?.value)}, which no provisioned datasource has`);
    }
    const knownVariables = new Set((d.templating?.list ?? []).map((v) => v.name));

    const resolves = (ref: { type?: string; uid?: string } | undefined): string | undefined => {
      if (!ref || ref.uid === undefined) return 'has no datasource';
      if (ref.type !== 'prometheus') return `datasource type ${JSON.stringify(ref.type)} is not prometheus`;
      if (VARIABLE_REF.includes(ref.uid)) return dsVar ? undefined : `datasource ${ref.uid} names a variable the dashboard lacks`;
      return ctx.datasourceUids.has(ref.uid) ? undefined : `datasource uid "${ref.uid}" is not provisioned`;
    };

    for (const link of d.links ?? []) {
      const m = /^\/d\/([^/?#]+)/.exec(link.url ?? '');
      if (m && !uids.has(m[1]!)) problem(' > link', `points at dashboard uid "${m[1]}", which is not generated`);
    }

    const ids = new Set<number>();
    for (const p of allPanels(d)) {
      const at = ` > panel ${p.id ?? '?'} "${p.title ?? ''}"`;
      if (typeof p.id !== 'number' || !Number.isInteger(p.id) || p.id < 1) problem(at, 'has no positive integer id');
      else if (ids.has(p.id)) problem(at, `id ${p.id} is used twice`);
      else ids.add(p.id);
      if (!p.title || p.title.trim() === '') problem(at, 'has no title (no unnamed panels)');
      const g = p.gridPos;
      if (!g || !(g.w! > 0 && g.h! > 0 && g.x! >= 0 && g.x! + g.w! <= 24 && g.y! >= 0))
        problem(at, `gridPos ${JSON.stringify(g)} is off the 24-column grid`);
      if (p.type === 'row') continue;

      if (!p.description) problem(at, 'has no description');
      if (!p.fieldConfig?.defaults?.unit) problem(at, 'has no unit (panel-units-rule)');
      const dsProblem = resolves(p.datasource);
      if (dsProblem) problem(at, `${dsProblem} (panel-datasource-rule)`);
      const targets = p.targets ?? [];
      if (targets.length === 0) problem(at, 'has no query');
      const refIds = new Set<string>();
      for (const t of targets) {
        const tat = `${at} > target ${t.refId ?? '?'}`;
        if (!t.refId) problem(tat, 'has no refId');
        else if (refIds.has(t.refId)) problem(tat, `refId ${t.refId} is used twice in the panel`);
        else refIds.add(t.refId);
        if (t.datasource) {
          const tds = resolves(t.datasource);
          if (tds) problem(tat, tds);
        }
        if (!t.expr) {
          problem(tat, 'has no PromQL expression');
          continue;
        }
        const sub = substituteVariables(t.expr);
        for (const name of sub.unknown)
          if (!knownVariables.has(name)) problem(tat, `uses $${name}, which is neither a Grafana built-in nor a dashboard variable`);
        let reads;
        try {
          reads = promqlReads(sub.expr);
        } catch (e) {
          problem(tat, `query ${(e as Error).message} (target-promql-rule)`);
          continue;
        }
        for (const m of reads.metrics) {
          if (!ctx.produced.has(m) && !ctx.configured.has(m))
            problem(tat, `reads metric "${m}", which no generated rule records and no config selector names`);
        }
        for (const s of reads.unnamed) problem(tat, `selector ${s} names no metric`);
        for (const r of reads.rateRanges) {
          if (r !== RATE_INTERVAL_SAMPLE) problem(tat, `rate over a fixed [${r}] window; use $__rate_interval (target-rate-interval-rule)`);
        }
      }
    }
  }
  return problems;
}

/** Uids of the datasources the generated provisioning files create. */
export function provisionedDatasources(artifacts: readonly Artifact[]): Set<string> {
  const out = new Set<string>();
  for (const a of artifacts) {
    if (!/^grafana\/provisioning\/datasources\/.*\.ya?ml$/.test(a.path)) continue;
    const doc = parseYaml(a.content) as { datasources?: Array<{ uid?: string }> };
    for (const ds of doc.datasources ?? []) if (ds.uid) out.add(ds.uid);
  }
  return out;
}

/** Everything the checks need from a compile run: the dashboards and what produces their metrics. */
export function checkArtifacts(cfg: Config, artifacts: readonly Artifact[]): string[] {
  const dashboards = artifacts
    .filter((a) => a.path.startsWith('grafana/dashboards/') && a.path.endsWith('.json'))
    .map((a) => JSON.parse(a.content) as DashboardJson);
  return checkDashboards(dashboards, {
    produced: producedMetrics(artifacts),
    configured: configuredMetrics(cfg),
    datasourceUids: provisionedDatasources(artifacts),
  });
}
