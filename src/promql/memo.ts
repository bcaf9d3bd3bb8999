// A generate run asks the same questions of the same PromQL text thousands of times (every
// SLO of the bench shape reads the same few selectors from several targets); parsing each time
// was a third of compile at 1,000 services. Answers are pure functions of the text, so they are
// kept, up to a bound that keeps memory flat on configs with many distinct expressions.
const MAX_ENTRIES = 50_000;

/**
 * Memoises a pure function of one argument by `key` of it, at most `max` answers kept (all are
 * dropped when full). Results are shared: callers must not mutate them.
 */
export function memoByKey<A, T>(key: (arg: A) => string, fn: (arg: A) => T, max = MAX_ENTRIES): (arg: A) => T {
  const cache = new Map<string, T>();
  return (arg) => {
    const k = key(arg);
    const hit = cache.get(k);
    if (hit !== undefined || cache.has(k)) return hit as T;
    const value = fn(arg);
    if (cache.size >= max) cache.clear();
    cache.set(k, value);
    return value;
  };
}

/** Memoises a pure function of one string. Results are shared: callers must not mutate them. */
export function memoByText<T>(fn: (text: string) => T): (text: string) => T {
  return memoByKey((text: string) => text, fn);
}

/** Freezes a value and everything it holds, so a caller that mutates a shared answer fails loudly. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
