// Reading what validation accepted: every selector parses and every duration is valid, so a
// failure here is a bug in sloforge, not in the user's config.
import { parseDuration } from '../../config/duration.js';
import { parseSelector, type Selector } from '../../promql/parse.js';
import { InternalError } from '../../errors.js';

export function selector(text: string): Selector {
  const s = parseSelector(text);
  if (typeof s === 'string') throw new InternalError(`a validated selector does not parse: ${text}`);
  return s;
}

export const ms = (d: string): number => parseDuration(d)!;
