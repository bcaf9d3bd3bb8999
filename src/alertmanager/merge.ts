// Merges generated/alertmanager/fragment.yml into an alertmanager.yml that already routes other
// alerts. What the existing file does for those alerts must not change:
// - sloforge's route goes first under the existing root, matching sloforge's alert names only
//   (SLOFORGE_ALERTS_MATCHER), so every other alert walks the existing routes as before;
// - its receivers and time intervals are added under their own names, and a name the file
//   already uses is refused rather than overwritten;
// - its inhibit rules carry the same matcher on both sides, so they mute sloforge's alerts only.
// Merging again replaces what an earlier merge added: the route carrying the matcher, the
// receivers and time intervals only that route names, the inhibit rules carrying the matcher and
// the template entry. The file is edited through yaml's Document API, so its comments stay.
import { isMap, isScalar, isSeq, parseDocument, type Document, type YAMLMap, type YAMLSeq } from 'yaml';
import { nothingWritten } from '../config/errors.js';
import { UserError } from '../errors.js';
import { SLOFORGE_ALERTS_MATCHER } from './target.js';

/** The part of fragment.yml merge reads. */
export interface Fragment {
  route: Record<string, unknown>;
  receivers: Array<{ name: string }>;
  time_intervals?: Array<{ name: string }>;
  inhibit_rules: unknown[];
}

export interface MergeInput {
  /** Text of the existing alertmanager.yml, and its name for messages. */
  existing: string;
  file: string;
  fragment: Fragment;
  /** The template file's path as Alertmanager reads it from the merged file. */
  templatePath: string;
  /** Template names sloforge's file defines, and those the existing templates define (with their file). */
  templates: { ours: readonly string[]; theirs: ReadonlyArray<{ name: string; file: string }> };
}

export interface MergeResult {
  text: string;
  /** True when an earlier merge's parts were found and replaced. */
  replaced: boolean;
  receivers: string[];
  timeIntervals: string[];
}

/** Where the template entry of an earlier merge points; sloforge's template file has this name. */
export const TEMPLATE_BASENAME = 'sloforge.tmpl';

type Node = YAMLMap<unknown, unknown>;

const ROUTE_COMMENT =
  ' sloforge: its alerts (by name), routed by team. `sloforge alertmanager merge` replaces this route,\n' +
  ' the receivers and time intervals only it names, the inhibit rules matching the same alert names\n' +
  ' and the sloforge.tmpl template entry.';

const seqItems = (node: unknown): unknown[] => (isSeq(node) ? node.items : []);
const str = (node: unknown): string | undefined => {
  const v = isScalar(node) ? node.value : node;
  return typeof v === 'string' ? v : undefined;
};

function matchersOf(route: Node): string[] {
  return seqItems(route.get('matchers', true))
    .map(str)
    .filter((s): s is string => s !== undefined);
}

function isSloforgeRoute(route: unknown): route is Node {
  return isMap(route) && matchersOf(route).includes(SLOFORGE_ALERTS_MATCHER);
}

/** Receivers and time intervals a route tree names. */
function namesIn(route: unknown, into: { receivers: Set<string>; intervals: Set<string> }): void {
  if (!isMap(route)) return;
  const rx = str(route.get('receiver', true));
  if (rx !== undefined) into.receivers.add(rx);
  for (const key of ['mute_time_intervals', 'active_time_intervals']) {
    for (const n of seqItems(route.get(key, true))) {
      const name = str(n);
      if (name !== undefined) into.intervals.add(name);
    }
  }
  for (const child of seqItems(route.get('routes', true))) namesIn(child, into);
}

function nameOf(item: unknown): string | undefined {
  return isMap(item) ? str(item.get('name', true)) : undefined;
}

/** Removes the items of a top-level list for which `drop` holds; returns how many went. */
function removeFrom(doc: Document, key: string, drop: (item: unknown) => boolean): number {
  const seq = doc.get(key, true);
  if (!isSeq(seq)) return 0;
  const before = seq.items.length;
  seq.items = seq.items.filter((item) => !drop(item));
  return before - seq.items.length;
}

/** The top-level list `key`, created at the end of the file when missing. */
function topSeq(doc: Document, key: string): YAMLSeq {
  const seq = doc.get(key, true);
  if (isSeq(seq)) return seq;
  const created = doc.createNode([]) as YAMLSeq;
  doc.set(key, created);
  return created;
}

function yamlProblem(file: string, doc: Document): string | undefined {
  const e = doc.errors[0];
  if (!e) return undefined;
  const pos = e.linePos?.[0];
  // yaml's message repeats the position the prefix gives.
  return `${file}${pos ? `:${pos.line}:${pos.col}` : ''}: not valid YAML: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`;
}

export function mergeAlertmanager(input: MergeInput): MergeResult {
  const { file, fragment } = input;
  const doc = parseDocument(input.existing);
  const invalid = yamlProblem(file, doc);
  if (invalid !== undefined) throw new UserError(`${invalid}\n${nothingWritten(1)}`);
  if (!isMap(doc.contents))
    throw new UserError(`${file}: is not an Alertmanager config (expected a YAML map with route and receivers)\n${nothingWritten(1)}`);
  const root = doc.get('route', true);
  if (!isMap(root))
    throw new UserError(`${file}: has no route; Alertmanager needs a root route for sloforge's to go under\n${nothingWritten(1)}`);

  // An earlier merge: its route, then whatever only that route named.
  const routes = root.get('routes', true);
  const earlier = seqItems(routes).filter(isSloforgeRoute);
  const theirs = { receivers: new Set<string>(), intervals: new Set<string>() };
  const previous = { receivers: new Set<string>(), intervals: new Set<string>() };
  for (const r of earlier) namesIn(r, previous);
  if (isSeq(routes)) {
    routes.items = routes.items.filter((r) => !isSloforgeRoute(r));
    // Read back, the comment above the first route belongs to the list: drop the earlier merge's.
    if (routes.commentBefore?.includes(ROUTE_COMMENT))
      routes.commentBefore = routes.commentBefore.replace(ROUTE_COMMENT, '').replace(/^\n+|\n+$/g, '') || null;
  }
  namesIn(root, theirs);
  const ours = (set: Set<string>, used: Set<string>) => (item: unknown) => {
    const n = nameOf(item);
    return n !== undefined && set.has(n) && !used.has(n);
  };
  let removed = earlier.length;
  removed += removeFrom(doc, 'receivers', ours(previous.receivers, theirs.receivers));
  for (const key of ['time_intervals', 'mute_time_intervals']) removed += removeFrom(doc, key, ours(previous.intervals, theirs.intervals));
  removed += removeFrom(
    doc,
    'inhibit_rules',
    (rule) => isMap(rule) && seqItems(rule.get('source_matchers', true)).map(str).includes(SLOFORGE_ALERTS_MATCHER),
  );
  removed += removeFrom(doc, 'templates', (t) => (str(t) ?? '').split(/[\\/]/).pop() === TEMPLATE_BASENAME);

  // Names the file keeps that sloforge's parts would take.
  const problems: string[] = [];
  const existing = (key: string) =>
    new Set(
      seqItems(doc.get(key, true))
        .map(nameOf)
        .filter((n): n is string => n !== undefined),
    );
  const receiverNames = existing('receivers');
  for (const r of fragment.receivers) {
    if (receiverNames.has(r.name))
      problems.push(
        `${file}: receiver "${r.name}" exists already, and sloforge's fragment defines one of that name (rename the existing receiver, or the sloforge team it comes from)`,
      );
  }
  const intervalNames = new Set([...existing('time_intervals'), ...existing('mute_time_intervals')]);
  for (const t of fragment.time_intervals ?? []) {
    if (intervalNames.has(t.name))
      problems.push(
        `${file}: time interval "${t.name}" exists already, and sloforge's fragment defines one of that name (rename the existing interval, or the sloforge team it comes from)`,
      );
  }
  const ourTemplates = new Set(input.templates.ours);
  for (const t of input.templates.theirs) {
    if (ourTemplates.has(t.name))
      problems.push(
        `${t.file}: defines template "${t.name}", which sloforge's ${TEMPLATE_BASENAME} defines too; one would silently replace the other (rename yours)`,
      );
  }
  if (problems.length > 0) throw new UserError(`${problems.join('\n')}\n${nothingWritten(problems.length)}`);

  // sloforge's route first: it matches only sloforge's alerts, which no existing route should take.
  const route = doc.createNode(fragment.route) as Node;
  route.commentBefore = ROUTE_COMMENT;
  if (isSeq(routes)) {
    // yaml reads the comment above a list's first item as the list's: it describes that item, so
    // it moves down with it rather than staying above sloforge's route.
    const first = routes.items[0];
    if (routes.commentBefore && (isMap(first) || isScalar(first))) {
      first.commentBefore = first.commentBefore ? `${routes.commentBefore}\n${first.commentBefore}` : routes.commentBefore;
      routes.commentBefore = null;
    }
    routes.items.unshift(route);
  } else root.set('routes', doc.createNode([route]));
  for (const r of fragment.receivers) topSeq(doc, 'receivers').items.push(doc.createNode(r));
  for (const t of fragment.time_intervals ?? []) topSeq(doc, 'time_intervals').items.push(doc.createNode(t));
  for (const rule of fragment.inhibit_rules) topSeq(doc, 'inhibit_rules').items.push(doc.createNode(rule));
  topSeq(doc, 'templates').items.push(doc.createNode(input.templatePath));

  return {
    text: doc.toString({ lineWidth: 0 }),
    replaced: removed > 0,
    receivers: fragment.receivers.map((r) => r.name),
    timeIntervals: (fragment.time_intervals ?? []).map((t) => t.name),
  };
}
