// Invents concrete series that a selector matches (and, for the complement, does not match), so
// generated promtool tests feed the exact selectors users wrote rather than a simplified copy.
import RandExpModule from 'randexp';

// randexp is CommonJS whose typings declare an ES default export; take the class either way.
type RandExp = InstanceType<typeof RandExpModule.default>;
const RandExp = ((RandExpModule as unknown as { default?: unknown }).default ?? RandExpModule) as typeof RandExpModule.default;
import type { LabelMatcher, Selector } from './parse.js';
import { matcherAccepts, anchoredRegex } from './match.js';
import { seriesText as renderSeries } from './labels.js';
import { memoByText } from './memo.js';

export interface ConcreteSeries {
  metric: string;
  labels: Record<string, string>;
}

const FALLBACKS = ['sloforge', 'x', '0', '200', '500', 'ok', 'error'];

function seededRandExp(pattern: string): RandExp {
  const r = new RandExp(pattern);
  r.max = 3;
  // Keep to letters and digits so the value needs no escaping anywhere.
  r.defaultRange.subtract(0, 47);
  r.defaultRange.subtract(58, 64);
  r.defaultRange.subtract(91, 96);
  r.defaultRange.subtract(123, 0x10ffff);
  let seed = 42;
  r.randInt = (a: number, b: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return a + (seed % (b - a + 1));
  };
  return r;
}

/**
 * Eight strings a regex generates, the same ones every time (the generator restarts from its
 * seed): every service of a config tends to repeat the same few patterns (`code=~"5.."`), and
 * generating was a tenth of `generate` at 1,000 services, so each pattern's are kept.
 */
const regexSamples: (pattern: string) => readonly string[] = memoByText((pattern) => {
  const gen = seededRandExp(pattern);
  return Object.freeze(Array.from({ length: 8 }, () => gen.gen()));
});

function candidates(matchers: readonly LabelMatcher[], fallbacks: readonly string[] = FALLBACKS): string[] {
  const out: string[] = [];
  for (const m of matchers) {
    if (m.op === '=' || m.op === '!=') out.push(m.value);
    if ((m.op === '=~' || m.op === '!~') && anchoredRegex(m.value)) out.push(...regexSamples(m.value));
  }
  return [...out, ...fallbacks].filter((v) => v !== '');
}

/** A value for one label that every `accept` matcher takes and the `reject` matcher (if any) refuses. */
function valueFor(accept: readonly LabelMatcher[], reject?: LabelMatcher): string | undefined {
  const ok = (v: string) => accept.every((m) => matcherAccepts(m, v)) && (!reject || !matcherAccepts(reject, v));
  // An absent label is the cheapest answer when it satisfies everything.
  if (ok('')) return '';
  return candidates(reject ? [...accept, reject] : accept).find(ok);
}

/**
 * A series matching every selector in `match` (all must name the same metric) and, when
 * `avoid` names the same metric, not matching `avoid`. Returns an error text when no such
 * series can be found.
 */
export function inventSeries(match: readonly Selector[], avoid?: Selector): ConcreteSeries | string {
  const metric = match[0]!.metric;
  const byLabel = new Map<string, LabelMatcher[]>();
  for (const sel of match) for (const m of sel.matchers) byLabel.set(m.name, [...(byLabel.get(m.name) ?? []), m]);
  const labels: Record<string, string> = {};
  for (const [name, ms] of byLabel) {
    const v = valueFor(ms);
    if (v === undefined)
      return `cannot find a value for label "${name}" that matches ${ms.map((m) => `${m.op}"${m.value}"`).join(' and ')}`;
    if (v !== '') labels[name] = v;
  }
  if (avoid && avoid.metric === metric) {
    const broken = avoid.matchers.some((m) => {
      const v = valueFor(byLabel.get(m.name) ?? [], m);
      if (v === undefined) return false;
      if (v === '') delete labels[m.name];
      else labels[m.name] = v;
      return true;
    });
    if (!broken) return 'every series it matches is also matched by the other selector, so the SLI can never see a good (or bad) event';
  }
  return { metric, labels };
}

export function seriesText(s: ConcreteSeries): string {
  return renderSeries(s.metric, s.labels);
}

/**
 * `count` distinct non-empty values of `label` that every matcher on it in `match` accepts: the
 * groups a test of a grouped SLO feeds. Returns an error text when there are fewer.
 */
export function groupValues(match: readonly Selector[], label: string, count: number): string[] | string {
  const ms = match.flatMap((s) => s.matchers.filter((m) => m.name === label));
  const ok = (v: string) => v !== '' && ms.every((m) => matcherAccepts(m, v));
  const found = [...new Set(candidates(ms, GROUP_FALLBACKS).filter(ok))].slice(0, count);
  if (found.length < count) {
    return `the matchers on grouping label "${label}" (${ms.map((m) => `${m.op}"${m.value}"`).join(' and ')}) allow fewer than ${count} values, so a test cannot tell its groups apart`;
  }
  return found;
}

// The first value is one a URL must escape (a grouped alert's dashboard link carries it) and a
// template must print as it is: label values are whatever the series carry.
const GROUP_FALLBACKS = ['/orders?id=1&v=a b', 'b', 'c', ...FALLBACKS];
