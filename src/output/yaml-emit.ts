// A block-style YAML writer for plain data (objects, arrays, strings, numbers, booleans, null),
// byte-identical to the `yaml` library's stringify with renderYaml's options. At 1,000 services
// the library's document model (a node per value, then a visitor per node) cost most of
// `generate`'s time; here the layout is written directly, and the library still decides every
// scalar that is not obviously plain (quoting, block literals, numbers), its answer cached.
// Anything outside that subset falls back to the library for the whole document, so the writer
// can only be faster, never different (test/output/yaml-emit.test.ts compares both on random data).
import { Document, Scalar, stringify, visit } from 'yaml';

/** YAML 1.2 (Prometheus, promtool, Alertmanager, Grafana) or 1.1 (kubectl's go-yaml v2). */
export type YamlFlavour = '1.2' | '1.1';

const LAYOUT = { lineWidth: 0, blockQuote: 'literal', indent: 2 } as const;

/** The library's rendering of a whole document, the reference this writer matches. */
export function libraryYaml(doc: unknown, flavour: YamlFlavour): string {
  if (flavour === '1.2') return stringify(doc, { ...LAYOUT, aliasDuplicateObjects: false });
  const d = new Document(doc, { version: '1.1', aliasDuplicateObjects: false });
  // PyYAML reads a bare `=` as a tag, so it is quoted although YAML 1.1 allows it plain.
  visit(d, {
    Scalar(_, node) {
      if (node.value === '=') node.type = Scalar.QUOTE_DOUBLE;
    },
  });
  return d.toString(LAYOUT);
}

/** Thrown inside the writer for input the library must lay out itself. */
class NeedsLibrary extends Error {}

// Words some YAML reader turns into a boolean or null (1.1 adds yes/no/on/off/y/n).
const RESERVED_WORDS = new Set(['null', 'true', 'false', 'yes', 'no', 'on', 'off', 'y', 'n']);
const TIMESTAMP_START = /^[0-9]{4}-/;

// A line starting `---` or `...` reads as a document marker at the top level only, so the
// library quotes or indents it by where it stands, which a cached answer cannot know.
const DOCUMENT_MARKER = /(^|\n)(---|\.\.\.)/;
// Outside printable ASCII (and the newline) the library's choice can depend on the position too
// (a leading U+2028 is quoted as a top-level key, written plain in a list): also left to it.
const UNCACHEABLE = /(^|\n)(---|\.\.\.)|[^\x20-\x7e\n]/;

/**
 * Whether the library writes `s` plain, by rules kept stricter than YAML's (a string that fails
 * is simply asked of the library): printable ASCII only; first a letter, `_`, `/`, `(`, `$`, `./`
 * or `../`, or
 * else a digit, sign or dot with a space somewhere (so no number or 1.1 timestamp reads it) and no
 * list or document marker; no `: ` or ` #` inside, no space or colon last; no reserved word. One
 * pass over the characters rather than a regular expression per rule: most scalars of a
 * generated file come through here.
 */
function obviouslyPlain(s: string): boolean {
  const n = s.length;
  if (n === 0) return false;
  const c0 = s.charCodeAt(0);
  // A relative path (`../rules/x.yml`, every test file's rule_files) starts with a dot, yet no number reads it.
  const path = c0 === 46 && (s.charCodeAt(1) === 47 || (s.charCodeAt(1) === 46 && s.charCodeAt(2) === 47));
  const numberStart = !path && ((c0 >= 48 && c0 <= 57) || c0 === 46 || c0 === 43 || c0 === 45);
  if (!numberStart && !path && !((c0 >= 65 && c0 <= 90) || (c0 >= 97 && c0 <= 122) || c0 === 95 || c0 === 47 || c0 === 40 || c0 === 36))
    return false;
  let space = false;
  let prev = c0;
  for (let i = 1; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
    if (c === 0x20) {
      if (prev === 58) return false;
      space = true;
    } else if (c === 35 && prev === 0x20) return false;
    prev = c;
  }
  if (prev === 0x20 || prev === 58) return false;
  if (numberStart && (!space || TIMESTAMP_START.test(s) || s.startsWith('- ') || s.startsWith('---') || s.startsWith('...'))) return false;
  return n > 5 || !RESERVED_WORDS.has(s.toLowerCase());
}

// Single-line text the library never writes plain: an indicator first, `: ` or ` #` inside, a
// space or colon last. It quotes such text, single quotes when only double ones are inside.
const NEVER_PLAIN = /^[ ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-] |: | #|[ :]$/;
const PRINTABLE_LINE = /^[\x20-\x7e]+$/;
// Multi-line text the library writes as `|-` with each line indented: no empty or blank-ended
// line, no leading space (that would need an indentation indicator), no final newline.
const SIMPLE_LITERAL = /^[\x21-\x7e][\x20-\x7e]*(\n[\x20-\x7e]*[\x21-\x7e])+$/;

/** The library's answer for the common strings, without asking it; undefined when unsure. */
function knownStringText(s: string): string | undefined {
  if (obviouslyPlain(s)) return s;
  if (DOCUMENT_MARKER.test(s)) return undefined;
  if (PRINTABLE_LINE.test(s)) {
    if (!NEVER_PLAIN.test(s)) return undefined;
    // Double quotes inside and no single ones: single-quoted. Otherwise double-quoted, which for
    // printable ASCII on one line escapes only `"` and `\\`, as JSON does.
    return s.includes('"') && !s.includes("'") ? `'${s}'` : JSON.stringify(s);
  }
  if (SIMPLE_LITERAL.test(s)) return `|-\n  ${s.replaceAll('\n', '\n  ')}`;
  return undefined;
}

const CACHE_LIMIT = 100_000;
const valueCache: Record<YamlFlavour, Map<unknown, string>> = { '1.2': new Map(), '1.1': new Map() };
const keyCache: Record<YamlFlavour, Map<string, string>> = { '1.2': new Map(), '1.1': new Map() };

function remember<K, V>(cache: Map<K, V>, key: K, value: V): V {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

/**
 * A scalar as the library writes it after `key: ` at the top level: one line, or a block
 * literal whose content lines carry the 2 spaces of that level.
 */
function valueText(v: string | number | boolean | null, flavour: YamlFlavour): string {
  if (typeof v === 'string') {
    const known = knownStringText(v);
    if (known !== undefined) return known;
  } else if (v === null) {
    return 'null';
  } else if (typeof v === 'boolean') {
    return v ? 'true' : 'false';
  } else if (Number.isSafeInteger(v) && !Object.is(v, -0)) {
    return String(v);
  }
  const cache = valueCache[flavour];
  const hit = cache.get(v);
  if (hit !== undefined) return hit;
  if (typeof v === 'string' && UNCACHEABLE.test(v)) throw new NeedsLibrary();
  const text = libraryYaml({ a: v }, flavour);
  // `a: ` then the scalar and exactly one newline; a kept final newline (`|+`) changes how the
  // next entry joins, which the library knows and this writer does not.
  if (!text.startsWith('a: ') || text.endsWith('\n\n') || /^a: [|>][0-9]*\+/.test(text)) throw new NeedsLibrary();
  return remember(cache, v, text.slice(3, -1));
}

function keyText(k: string, flavour: YamlFlavour): string {
  if (obviouslyPlain(k)) return k;
  const cache = keyCache[flavour];
  const hit = cache.get(k);
  if (hit !== undefined) return hit;
  if (UNCACHEABLE.test(k)) throw new NeedsLibrary();
  const text = libraryYaml({ [k]: null }, flavour);
  if (!text.endsWith(': null\n') || text.startsWith('? ') || text.slice(0, -7).includes('\n')) throw new NeedsLibrary();
  return remember(cache, k, text.slice(0, -7));
}

function isPlainObject(v: object): v is Record<string, unknown> {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

// The text is built by appending to one string (V8 joins the pieces once, when it is written)
// rather than collecting an array of pieces: a test file is about 50,000 pieces.
class Writer {
  out = '';
  constructor(private readonly flavour: YamlFlavour) {}

  /** `v` after a `key:` (afterDash false) or a `-` (afterDash true); `nl` is a newline and the indentation. */
  entry(v: unknown, nl: string, afterDash: boolean): void {
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
      const text = valueText(v, this.flavour);
      this.out += ' ';
      this.out += text.includes('\n') ? text.replace(/\n(?=[^\n])/g, nl) : text;
      return;
    }
    if (typeof v !== 'object' || v === undefined) throw new NeedsLibrary();
    const inner = `${nl}  `;
    if (Array.isArray(v)) {
      if (v.length === 0) this.out += ' []';
      else if (afterDash) {
        this.out += ' ';
        this.seq(v, inner, true);
      } else this.seq(v, inner, false);
      return;
    }
    if (!isPlainObject(v)) throw new NeedsLibrary();
    if (!hasEntries(v)) this.out += ' {}';
    else if (afterDash) {
      this.out += ' ';
      this.map(v, inner, true);
    } else this.map(v, inner, false);
  }

  seq(items: readonly unknown[], nl: string, firstInline: boolean): void {
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (item === undefined) throw new NeedsLibrary();
      this.out += i > 0 || !firstInline ? `${nl}-` : '-';
      this.entry(item, nl, true);
    }
  }

  map(obj: Record<string, unknown>, nl: string, firstInline: boolean): void {
    let first = true;
    for (const k in obj) {
      const v = obj[k];
      if (v === undefined) continue;
      if (!first || !firstInline) this.out += nl;
      first = false;
      this.out += keyText(k, this.flavour);
      this.out += ':';
      this.entry(v, nl, false);
    }
  }
}

function hasEntries(obj: Record<string, unknown>): boolean {
  for (const k in obj) if (obj[k] !== undefined) return true;
  return false;
}

/** The document as `libraryYaml(doc, flavour)` writes it, faster for plain data. */
export function emitYaml(doc: unknown, flavour: YamlFlavour): string {
  if (doc === null || typeof doc !== 'object' || Object.getOwnPropertySymbols(doc).length > 0) return libraryYaml(doc, flavour);
  const w = new Writer(flavour);
  try {
    if (Array.isArray(doc)) {
      if (doc.length === 0) return '[]\n';
      w.seq(doc, '\n', true);
    } else {
      if (!isPlainObject(doc)) return libraryYaml(doc, flavour);
      if (!hasEntries(doc)) return '{}\n';
      w.map(doc, '\n', true);
    }
  } catch (e) {
    if (e instanceof NeedsLibrary) return libraryYaml(doc, flavour);
    throw e;
  }
  return `${w.out}\n`;
}
