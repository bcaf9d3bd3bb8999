// Selectors that are valid PromQL but almost surely not what was meant: warnings, each on the
// field that holds the selector. `code="5.."` compares the text "5.." literally and matches
// nothing, so the SLI reads no errors and the alert never fires; a ratio whose parts read
// different metrics is often a typo in one of them.
import type { Config } from '../schema/config.js';
import type { ConfigPath, ConfigProblem } from '../errors.js';
import { parseSelector, type LabelMatcher, type Selector } from '../../promql/parse.js';
import { exprSelectors } from '../../promql/reads.js';
import { atSampleWindow } from '../../promql/window.js';
import { sliSelectors } from './grouping.js';
import { sliCase, sliPart, thresholdCase, unhandled } from '../kinds.js';

/** Characters only a regular expression gives a meaning to (a `.` counts unless it sits between two word characters, as in 0.5 or api.example.com). */
const REGEX_SYNTAX = /[*+?|()[\]{}^$\\]|(?<![\w-])\.|\.(?![\w-])/;

/** Values that look like patterns but are literal label values Prometheus itself writes. */
const LITERAL = new Set(['+Inf', '-Inf']);

function looksLikeRegex(m: LabelMatcher): boolean {
  return (m.op === '=' || m.op === '!=') && !LITERAL.has(m.value) && REGEX_SYNTAX.test(m.value);
}

function regexWarnings(selectors: readonly Selector[], path: ConfigPath): ConfigProblem[] {
  const seen = new Set<string>();
  const out: ConfigProblem[] = [];
  for (const s of selectors) {
    for (const m of s.matchers.filter(looksLikeRegex)) {
      const text = `${m.name}${m.op}${JSON.stringify(m.value)}`;
      if (seen.has(text)) continue;
      seen.add(text);
      const regex = m.op === '=' ? '=~' : '!~';
      out.push({
        path,
        message: `compares ${text} with ${m.op}, which takes the value literally, but "${m.value}" looks like a regular expression: no series has that label value, so this ${m.op === '=' ? 'matches nothing' : 'excludes nothing'}; write ${m.name}${regex}${JSON.stringify(m.value)}`,
      });
    }
  }
  return out;
}

function parsed(text: string | undefined): Selector[] {
  if (text === undefined) return [];
  const s = parseSelector(text);
  return typeof s === 'string' ? [] : [s];
}

/** Selectors read by an expression (a query with `$window`, a threshold's expr). */
function exprReads(expr: string | undefined, windowed = false): Selector[] {
  if (expr === undefined) return [];
  return exprSelectors(windowed ? atSampleWindow(expr) : expr).flatMap(parsed);
}

function sloWarnings(slo: NonNullable<Config['services'][number]['slos']>[number], at: ConfigPath): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const byField = new Map<string, Selector[]>();
  for (const s of sliSelectors(slo.sli)) byField.set(s.field, [...(byField.get(s.field) ?? []), s.selector]);
  for (const [field, selectors] of byField) out.push(...regexWarnings(selectors, [...at, ...field.split('.')]));
  const c = sliCase(slo.sli);
  if (c.kind === 'ratio' && c.spec.distinctMetrics !== true) {
    const p = sliPart(c.spec);
    const part = parsed(p.text)[0];
    const total = parsed(c.spec.total)[0];
    if (part && total && part.metric !== total.metric) {
      out.push({
        path: [...at, 'sli', 'ratio', p.field],
        message: `reads ${part.metric} but sli.ratio.total reads ${total.metric}: a ratio usually counts its ${p.meaning === 'bad' ? 'failed' : 'good'} events and all events on one metric (${total.metric}{...}), and two names are often a typo in one of them; if they are meant to differ, say so with sli.ratio.distinctMetrics: true`,
      });
    }
  }
  return out;
}

function thresholdWarnings(th: NonNullable<Config['services'][number]['thresholds']>[number], at: ConfigPath): ConfigProblem[] {
  const c = thresholdCase(th);
  const fields = ((): Array<[string[], Selector[]]> => {
    switch (c.kind) {
      case 'expr':
        return [[['expr'], exprReads(c.spec)]];
      case 'percentile':
        return [[['percentile', 'histogram'], parsed(c.spec.histogram)]];
      case 'ratio':
        return [
          [['ratio', 'numerator'], parsed(c.spec.numerator)],
          [['ratio', 'denominator'], parsed(c.spec.denominator)],
          [['ratio', 'histogram'], parsed(c.spec.histogram)],
        ];
      case 'predict':
      case 'anomaly':
        return [[[c.kind, 'series'], exprReads(c.spec.series)]];
      default:
        return unhandled(c);
    }
  })();
  return fields.flatMap(([field, selectors]) => regexWarnings(selectors, [...at, ...field]));
}

/** Legal selectors a person most likely did not mean, on the field that holds each. */
export function selectorWarnings(cfg: Config): ConfigProblem[] {
  return cfg.services.flatMap((svc, si) => [
    ...(svc.slos ?? []).flatMap((slo, i) => sloWarnings(slo, ['services', si, 'slos', i])),
    ...(svc.thresholds ?? []).flatMap((th, i) => thresholdWarnings(th, ['services', si, 'thresholds', i])),
  ]);
}
