// Mutants that cannot change any alert, with the reason: listed by the mutation test, not counted.
import type { Mutant } from './mutants.js';

interface Rule {
  /** Matched against the mutant's id (`service: group#rule name: op: what`). */
  match: RegExp;
  reason: string;
}

const EQUIVALENT: readonly Rule[] = [];

/** Why a mutant cannot change any alert, or undefined when it can. */
export function equivalence(m: Pick<Mutant, 'id'>): string | undefined {
  return EQUIVALENT.find((r) => r.match.test(m.id))?.reason;
}
