import type { SpecDoc } from './read.js';
import type { Report } from './report.js';
import { ServiceSet, type Imported } from './model.js';
export function importOpenSlo(_docs: readonly SpecDoc[], report: Report): Imported {
  return new ServiceSet(report).finish('openslo');
}
