// A generate run asks the same questions of the same PromQL text thousands of times (every
// SLO of the bench shape reads the same few selectors from several targets); parsing each time
// was a third of compile at 1,000 services. Answers are pure functions of the text, so they are
// kept, up to a bound that keeps memory flat on configs with many distinct expressions.
const MAX_ENTRIES = 50_000;

/** Memoises a pure function of one string. Results are shared: callers must not mutate them. */
export function memoByText<T>(fn: (text: string) => T): (text: string) => T {
  const cache = new Map<string, T>();
  return (text) => {
    const hit = cache.get(text);
    if (hit !== undefined || cache.has(text)) return hit as T;
    const value = fn(text);
    if (cache.size >= MAX_ENTRIES) cache.clear();
    cache.set(text, value);
    return value;
  };
}

/** Freezes a value and everything it holds, so a caller that mutates a shared answer fails loudly. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
