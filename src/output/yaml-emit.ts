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

// What may start a plain scalar, and what may not appear inside one, kept stricter than YAML's
// rules: a string that fails this test is simply asked of the library.
const PLAIN_SAFE = /^[A-Za-z_/($][\x20-\x7e]*$/;
const PLAIN_BREAKERS = /: |:\t| #|\t#|[\t ]$|:$/;
// Words some YAML reader turns into a boolean or null (1.1 adds yes/no/on/off/y/n).
const RESERVED_WORDS = new Set(['null', 'true', 'false', 'yes', 'no', 'on', 'off', 'y', 'n']);
// A leading digit, sign or dot is plain only when no number or 1.1 timestamp could read it.
const NUMBER_START = /^[0-9.+-]/;
const TIMESTAMP_START = /^[0-9]{4}-/;

// A line starting `---` or `...` reads as a document marker at the top level only, so the
// library quotes or indents it by where it stands, which a cached answer cannot know.
const DOCUMENT_MARKER = /(^|\n)(---|\.\.\.)/;
// Outside printable ASCII (and the newline) the library's choice can depend on the position too
// (a leading U+2028 is quoted as a top-level key, written plain in a list): also left to it.
const UNCACHEABLE = /(^|\n)(---|\.\.\.)|[^\x20-\x7e\n]/;

function obviouslyPlain(s: string): boolean {
  if (NUMBER_START.test(s)) {
    if (!s.includes(' ') || TIMESTAMP_START.test(s) || !/^[0-9.+-][\x20-\x7e]*$/.test(s) || s.startsWith('- ')) return false;
  } else if (!PLAIN_SAFE.test(s)) {
    return false;
  }
  return !PLAIN_BREAKERS.test(s) && !RESERVED_WORDS.has(s.toLowerCase()) && !DOCUMENT_MARKER.test(s);
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
    const double = s.includes('"');
    const single = s.includes("'");
    if (double && !single) return `'${s}'`;
    if (!double && !s.includes('\\')) return `"${s}"`;
    return undefined;
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

class Writer {
  readonly parts: string[] = [];
  constructor(private readonly flavour: YamlFlavour) {}

  /** `v` after a `key:` (afterDash false) or a `-` (afterDash true) at indentation `indent`. */
  entry(v: unknown, indent: string, afterDash: boolean): void {
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
      const text = valueText(v, this.flavour);
      this.parts.push(' ', text.includes('\n') ? text.replace(/\n(?=[^\n])/g, `\n${indent}`) : text);
      return;
    }
    if (typeof v !== 'object' || v === undefined) throw new NeedsLibrary();
    const inner = `${indent}  `;
    if (Array.isArray(v)) {
      if (v.length === 0) this.parts.push(' []');
      else if (afterDash) {
        this.parts.push(' ');
        this.seq(v, inner, true);
      } else this.seq(v, inner, false);
      return;
    }
    if (!isPlainObject(v)) throw new NeedsLibrary();
    if (!hasEntries(v)) this.parts.push(' {}');
    else if (afterDash) {
      this.parts.push(' ');
      this.map(v, inner, true);
    } else this.map(v, inner, false);
  }

  seq(items: readonly unknown[], indent: string, firstInline: boolean): void {
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (item === undefined) throw new NeedsLibrary();
      if (i > 0 || !firstInline) this.parts.push('\n', indent);
      this.parts.push('-');
      this.entry(item, indent, true);
    }
  }

  map(obj: Record<string, unknown>, indent: string, firstInline: boolean): void {
    let first = true;
    for (const k in obj) {
      const v = obj[k];
      if (v === undefined) continue;
      if (!first || !firstInline) this.parts.push('\n', indent);
      first = false;
      this.parts.push(keyText(k, this.flavour), ':');
      this.entry(v, indent, false);
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
      w.seq(doc, '', true);
    } else {
      if (!isPlainObject(doc)) return libraryYaml(doc, flavour);
      if (!hasEntries(doc)) return '{}\n';
      w.map(doc, '', true);
    }
  } catch (e) {
    if (e instanceof NeedsLibrary) return libraryYaml(doc, flavour);
    throw e;
  }
  w.parts.push('\n');
  return w.parts.join('');
}
