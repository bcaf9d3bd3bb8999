// A service dashboard too big for one Kubernetes ConfigMap (1 MiB of data, which the Grafana
// sidecar reads) becomes several dashboards, "pages", each under the limit. Page 1 keeps the
// service's uid, so alerts still link to it; every page links to the others. Splitting happens on
// the finished JSON, between panels, so each page shows its panels exactly as the whole would.
import { SERVICE_DASHBOARD_PREFIX, GRAFANA_UID_MAX, fitName } from '../conventions.js';

/** Bytes of JSON one dashboard may have: under the 1,048,576 a ConfigMap holds, with room for its metadata. */
export const DASHBOARD_BYTES_MAX = 1_000_000;

/** Grafana uids allow "_", service names do not: no page uid can be another service's. */
export const pageUid = (service: string, page: number) => fitName(`${SERVICE_DASHBOARD_PREFIX}${service}_${page}`, GRAFANA_UID_MAX);

export const renderDashboard = (doc: unknown) => `${JSON.stringify(doc, null, 2)}\n`;

interface Panel {
  id?: number;
  type?: string;
  title?: string;
  gridPos?: { h?: number; w?: number; x?: number; y?: number };
}

interface Doc {
  uid?: string;
  title?: string;
  links?: unknown[];
  panels?: Panel[];
}

/** Bytes a panel takes inside `panels` of a dashboard rendered with renderDashboard: 4 more spaces a line, and ",\n". */
function panelBytes(p: Panel): number {
  const text = JSON.stringify(p, null, 2);
  return Buffer.byteLength(text) + 4 * text.split('\n').length + 2;
}

function pageLinks(service: string, uid: string, pages: number): unknown[] {
  return Array.from({ length: pages }, (_, i) => ({
    title: `Page ${i + 1} of ${pages}`,
    type: 'link',
    url: `/d/${i === 0 ? uid : pageUid(service, i + 1)}`,
    icon: 'doc',
    keepTime: true,
    includeVars: true,
    asDropdown: false,
    targetBlank: false,
    tags: [],
    tooltip: '',
  }));
}

/** The panels cut into runs that each fit `budget` once the page's own fields are added. */
function cut(panels: readonly Panel[], budget: number): Panel[][] {
  const pages: Panel[][] = [[]];
  let used = 0;
  let row: Panel | undefined;
  for (const p of panels) {
    const size = panelBytes(p);
    if (used + size > budget && pages[pages.length - 1]!.length > 0) {
      pages.push([]);
      used = 0;
      // A page starting inside a row repeats its title.
      if (p.type !== 'row' && row) {
        const continued = { ...row, title: `${row.title ?? ''} (continued)` };
        pages[pages.length - 1]!.push(continued);
        used += panelBytes(continued);
      }
    }
    if (p.type === 'row') row = p;
    pages[pages.length - 1]!.push(p);
    used += size;
  }
  return pages;
}

/** Panels moved up so the page starts at the top (Grafana would close the gap itself, but not in the JSON). */
function rebase(panels: readonly Panel[]): Panel[] {
  const top = Math.min(...panels.map((p) => p.gridPos?.y ?? 0));
  return panels.map((p) => (p.gridPos ? { ...p, gridPos: { ...p.gridPos, y: (p.gridPos.y ?? 0) - top } } : p));
}

/**
 * The dashboard as one or more pages, each rendered. `built` may be a builder's own object: its
 * JSON is the same as that of its plain copy, which is made only when the dashboard is cut (most
 * are not, and the copy cost as much as the rendering at 1,000 services).
 */
export function dashboardPages(service: string, built: unknown, max = DASHBOARD_BYTES_MAX): string[] {
  const whole = renderDashboard(built);
  if (Buffer.byteLength(whole) <= max) return [whole];
  const doc = JSON.parse(whole) as Doc;
  const uid = doc.uid!;
  const panels = doc.panels ?? [];
  // Room for the page's own fields: everything but the panels, with the links to every page (at most 99).
  const head = Buffer.byteLength(renderDashboard({ ...doc, panels: [], links: [...(doc.links ?? []), ...pageLinks(service, uid, 99)] }));
  const pages = cut(panels, max - head);
  return pages.map((run, i) =>
    renderDashboard({
      ...doc,
      uid: i === 0 ? uid : pageUid(service, i + 1),
      title: i === 0 ? doc.title : `${doc.title ?? ''} (${i + 1} of ${pages.length})`,
      links: [...(doc.links ?? []), ...pageLinks(service, uid, pages.length)],
      panels: rebase(run),
    }),
  );
}
