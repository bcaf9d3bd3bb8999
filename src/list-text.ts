// Lists of names in one-line messages. At organisation scale a note can concern thousands of
// SLOs; printing every name would bury the rest of the output, so a note shows its first few.
export const LISTED_NAMES = 10;

/** `a, b, c` up to `max` items, then " and N more". */
export function someOf(items: readonly string[], sep: string, max = LISTED_NAMES): string {
  const shown = items.slice(0, max).join(sep);
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}
