// Request authentication. Alertmanager sends either `Authorization: Bearer <credentials_file>`
// or basic auth; both are checked against the tokens in one file, in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';

/** Shorter tokens are accepted, with a warning at start and at each reload. */
export const MIN_TOKEN_LENGTH = 16;

/**
 * Tokens from the token file: every non-empty line that is not a `#` comment, so a new token
 * can be added before the old one is removed (rotation without downtime).
 */
export function parseTokens(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

// Hashing first gives equal lengths, so timingSafeEqual leaks neither content nor length.
const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

export class TokenAuth {
  private readonly digests: Buffer[];

  constructor(tokens: readonly string[]) {
    if (tokens.length === 0) throw new Error('no token given');
    this.digests = tokens.map(digest);
  }

  private matches(candidate: string): boolean {
    const d = digest(candidate);
    let ok = false;
    // Compare with every token, without stopping early, so timing does not tell which matched.
    for (const t of this.digests) ok = timingSafeEqual(d, t) || ok;
    return ok;
  }

  /** True when the Authorization header carries a known token (Bearer, or basic auth's password). */
  check(header: string | undefined): boolean {
    if (header === undefined) return false;
    const m = /^(\S+)\s+(.+)$/.exec(header.trim());
    if (!m) return false;
    const scheme = m[1]!.toLowerCase();
    if (scheme === 'bearer') return this.matches(m[2]!);
    if (scheme === 'basic') {
      const decoded = Buffer.from(m[2]!, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      return colon >= 0 && this.matches(decoded.slice(colon + 1));
    }
    return false;
  }
}
