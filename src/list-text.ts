// Lists of names in one-line messages. At organisation scale a note can concern thousands of
// SLOs; printing every name would bury the rest of the output, so a note shows its first few.
export const LISTED_NAMES = 10;

/** `a, b, c` up to `max` items, then "and N more". */
export function someOf(items: readonly string[], sep: string, max = LISTED_NAMES): string {
  if (items.length <= max) return items.join(sep);
  return `${items.slice(0, max).join(sep)}${sep}and ${items.length - max} more`;
}
