// The compose stack's configs moved onto 127.0.0.1: only addresses and file paths change (and,
// for Prometheus, the intervals), so routes, inhibitions, rules and actions stay as generated.
import { parse, stringify } from 'yaml';
import { hostPath, type Service } from './compose-model.js';

/** `service:port` as the stack names it -> `127.0.0.1:port` where the test runs it. */
export type Endpoints = Record<string, string>;

export function localAddress(endpoints: Endpoints, hostPort: string): string {
  const local = endpoints[hostPort];
  if (!local) throw new Error(`no local endpoint for ${hostPort} (known: ${Object.keys(endpoints).join(', ')})`);
  return local;
}

export function localUrl(endpoints: Endpoints, url: string): string {
  const u = new URL(url);
  const local = localAddress(endpoints, `${u.hostname}:${u.port || (u.protocol === 'https:' ? '443' : '80')}`);
  return `${u.protocol}//${local}${u.pathname}${u.search}`;
}

/** A path the container reads, as the repository file compose mounts there. */
function localFile(svc: Service, containerPath: string): string {
  const file = hostPath(svc, containerPath);
  if (!file) throw new Error(`${svc.name}: nothing in the repository is mounted at ${containerPath}`);
  return file;
}

interface PromConfig {
  global?: Record<string, unknown>;
  rule_files?: string[];
  alerting?: { alertmanagers?: Array<{ static_configs?: Array<{ targets: string[] }> }> };
  scrape_configs?: Array<{ static_configs?: Array<{ targets: string[] }> }>;
}

export function localPrometheusConfig(text: string, o: { endpoints: Endpoints; ruleFiles: string[]; interval: string }): string {
  const cfg = parse(text) as PromConfig;
  cfg.global = { ...cfg.global, scrape_interval: o.interval, evaluation_interval: o.interval };
  cfg.rule_files = o.ruleFiles;
  for (const am of cfg.alerting?.alertmanagers ?? []) {
    for (const sc of am.static_configs ?? []) sc.targets = sc.targets.map((t) => localAddress(o.endpoints, t));
  }
  for (const job of cfg.scrape_configs ?? []) {
    for (const sc of job.static_configs ?? []) sc.targets = sc.targets.map((t) => localAddress(o.endpoints, t));
  }
  return stringify(cfg);
}

/** Webhook URLs to local endpoints and every `*_file` to the repository file mounted there. */
export function localAlertmanagerConfig(text: string, o: { endpoints: Endpoints; service: Service }): string {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!node || typeof node !== 'object') return node;
    return Object.fromEntries(
      Object.entries(node).map(([k, v]) => {
        if (k.endsWith('_file') && typeof v === 'string') return [k, localFile(o.service, v)];
        return [k, walk(v)];
      }),
    );
  };
  const cfg = walk(parse(text)) as { receivers?: Array<{ webhook_configs?: Array<{ url: string }> }> };
  for (const r of cfg.receivers ?? []) for (const w of r.webhook_configs ?? []) w.url = localUrl(o.endpoints, w.url);
  return stringify(cfg);
}

interface ActionsFile {
  remediations: Array<{ action: { http?: { url: string; headerFiles: Record<string, string> } } }>;
}

/** HTTP actions aimed at stack services go to their local ports; header files to the mounted files. */
export function localActions(text: string, o: { endpoints: Endpoints; service: Service }): string {
  const doc = JSON.parse(text) as ActionsFile;
  for (const r of doc.remediations) {
    const http = r.action.http;
    if (!http) continue;
    const u = new URL(http.url);
    if (o.endpoints[`${u.hostname}:${u.port}`]) http.url = localUrl(o.endpoints, http.url);
    http.headerFiles = Object.fromEntries(Object.entries(http.headerFiles).map(([k, f]) => [k, localFile(o.service, f)]));
  }
  return JSON.stringify(doc, null, 2);
}
