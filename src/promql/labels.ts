// The one way sloforge writes label sets into PromQL and promtool files: `{name="value",...}`,
// values quoted as JSON strings (which PromQL reads back unchanged).

type Labels = Readonly<Record<string, string>>;

// What JSON.stringify must escape in a string: quotes, backslashes, control characters, lone surrogates.
const NEEDS_ESCAPE = /["\\\x00-\x1f\ud800-\udfff]/;

/**
 * A label value as a double-quoted string literal, exactly as JSON.stringify writes it: most
 * values need no escape, and JSON.stringify was most of the cost of the tens of thousands of
 * label sets the promtool tests of 1,000 services write.
 */
export function quoted(value: string): string {
  return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
}

function render(labels: Labels, keys: readonly string[]): string {
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const v: unknown = labels[k];
    out += `${i === 0 ? '' : ','}${k}=${typeof v === 'string' ? quoted(v) : JSON.stringify(v)}`;
  }
  return `${out}}`;
}

/**
 * Equality matchers in the order given: `{service="checkout",slo="availability"}`, then regex
 * matchers (`route=~"$route"`) when `regex` names any.
 */
export function matcherText(labels: Labels, regex: Labels = {}): string {
  const eq = render(labels, Object.keys(labels));
  const re = Object.keys(regex).map((k) => `${k}=~${JSON.stringify(regex[k])}`);
  if (re.length === 0) return eq;
  return eq === '{}' ? `{${re.join(',')}}` : `${eq.slice(0, -1)},${re.join(',')}}`;
}

/** A label set in name order, as promtool prints and compares it. */
export function labelText(labels: Labels): string {
  return render(labels, Object.keys(labels).sort());
}

/** A concrete series, `metric{...}` in name order, or the bare name without labels. */
export function seriesText(metric: string, labels: Labels): string {
  return Object.keys(labels).length === 0 ? metric : `${metric}${labelText(labels)}`;
}

/** Label sets in a stable order, so output does not depend on object insertion order. */
export function sortLabels(labels: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(labels).sort()) {
    const v = labels[key];
    if (v !== undefined) out[key] = v;
  }
  return out;
}

/**
 * `expr` with each label moved to another name (`moves`: new name -> the series' own name):
 * label_replace copies the value, and a second one, setting the old label to "", removes it.
 */
export function moveLabels(expr: string, moves: Labels): string {
  let out = expr;
  for (const [to, from] of Object.entries(moves)) {
    out = `label_replace(label_replace(${out}, ${JSON.stringify(to)}, "$1", ${JSON.stringify(from)}, "(.*)"), ${JSON.stringify(from)}, "", ${JSON.stringify(from)}, ".*")`;
  }
  return out;
}
