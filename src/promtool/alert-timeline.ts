// Predicts, evaluation by evaluation, whether an alert with `for` and `keep_firing_for` is
// firing, from a condition that may be unknown at some steps (while a rate window still mixes
// two phases). Generated tests assert only where the prediction is certain and stable, so they
// never depend on rounding or on exactly where a ramp crosses a level.

/** The alert condition at one evaluation: true, false, or unknown (either may happen). */
export type Tri = boolean | undefined;

function simulate(cond: readonly boolean[], forSteps: number, keepSteps: number): boolean[] {
  const out: boolean[] = [];
  let state: 'inactive' | 'pending' | 'firing' = 'inactive';
  let activeAt = 0;
  let keepSince: number | undefined;
  cond.forEach((c, i) => {
    if (c) {
      if (state === 'inactive') {
        state = 'pending';
        activeAt = i;
      }
      keepSince = undefined;
      if (state === 'pending' && i - activeAt >= forSteps) state = 'firing';
    } else if (state === 'firing' && keepSteps > 0 && i - (keepSince ??= i) < keepSteps) {
      // keep_firing_for: still firing although the condition is gone.
    } else {
      state = 'inactive';
      keepSince = undefined;
    }
    out.push(state === 'firing');
  });
  return out;
}

/**
 * Firing state per evaluation, or undefined where it depends on the unknown steps. Firing is
 * monotone in the condition, so the all-true and all-false readings of the unknowns bound it.
 */
export function firingStates(cond: readonly Tri[], forSteps: number, keepSteps: number): Tri[] {
  const most = simulate(
    cond.map((c) => c !== false),
    forSteps,
    keepSteps,
  );
  const least = simulate(
    cond.map((c) => c === true),
    forSteps,
    keepSteps,
  );
  return most.map((m, i) => (m === least[i] ? m : undefined));
}

/** The state at step i when it is certain there and at both neighbours (off-by-one safe). */
export function stableState(states: readonly Tri[], i: number): Tri {
  const s = states[i];
  if (s === undefined || i < 1 || i + 1 >= states.length) return undefined;
  return states[i - 1] === s && states[i + 1] === s ? s : undefined;
}

/** Merges two readings of the same condition: certain only where they agree. */
export function agree(a: Tri, b: Tri): Tri {
  return a === b ? a : undefined;
}
