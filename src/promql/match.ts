// Evaluates label matchers the way Prometheus does: regexes are anchored, and an absent label
// reads as the empty string.
import type { LabelMatcher, Selector } from './parse.js';

const cache = new Map<string, RegExp | null>();

/** Anchored JS RegExp for an RE2 pattern, or null when JS cannot read it (RE2-only syntax). */
export function anchoredRegex(pattern: string): RegExp | null {
  let re = cache.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(`^(?:${pattern})$`, 's');
    } catch {
      re = null;
    }
    cache.set(pattern, re);
  }
  return re;
}

export function matcherAccepts(m: LabelMatcher, value: string): boolean {
  switch (m.op) {
    case '=':
      return value === m.value;
    case '!=':
      return value !== m.value;
    case '=~':
    case '!~': {
      const re = anchoredRegex(m.value);
      if (!re) return false;
      return re.test(value) === (m.op === '=~');
    }
  }
}

export function selectorMatches(sel: Selector, metric: string, labels: Readonly<Record<string, string>>): boolean {
  if (sel.metric !== metric) return false;
  return sel.matchers.every((m) => matcherAccepts(m, m.name === '__name__' ? metric : (labels[m.name] ?? '')));
}
