// What `generate` tells the user beside the files it writes: warnings (which --strict refuses)
// and notes (what sloforge cannot check offline or cannot prove). Pure, so the golden cases pin
// the same lines the CLI prints.
import type { LoadedConfig } from './config/load.js';
import { formatProblem } from './config/errors.js';
import type { Model } from './model/types.js';
import { modelWarnings, untestedSlos, unverifiedBucketBounds } from './model/warnings.js';
import { selectorWarnings } from './config/checks/selector-lint.js';
import { targetWarnings } from './compile.js';
import type { RuleSet } from './prometheus/target.js';
import { someOf } from './list-text.js';

export interface GenerateNotices {
  /** `warning: <file>:<line>:<col>: ...` lines; --strict writes nothing when there are any. */
  warnings: string[];
  /** `note: ...` paragraphs, one per kind. */
  notes: string[];
}

export function generateNotices(loaded: Pick<LoadedConfig, 'config' | 'raw' | 'file'>, model: Model, rules: RuleSet): GenerateNotices {
  const warnings = [...modelWarnings(model), ...targetWarnings(model, rules), ...selectorWarnings(loaded.config)].map(
    (p) => `warning: ${formatProblem(p, loaded.raw, loaded.file)}`,
  );
  const notes: string[] = [];
  const bounds = unverifiedBucketBounds(model);
  if (bounds.length > 0) {
    notes.push(
      `note: these latency thresholds must each be an "le" bucket bound of their histogram, which cannot be checked offline: ${someOf(bounds, ', ')}. ` +
        'If one is not, its no-data alert fires within its wait in production, next to the false burn it explains; ' +
        '`sloforge check --prometheus URL` checks them against the live histograms.',
    );
  }
  const untested = untestedSlos(model);
  if (untested.length > 0) {
    notes.push(`note: no generated promtool test proves the burn-rate alerts of these SLOs: ${someOf(untested, '; ')}.`);
  }
  return { warnings, notes };
}
