// Adds imported services (and teams) to a user's slos/index.ts without a TypeScript parser (the
// package does not ship one): a small scanner that knows strings, template literals, comments
// and brackets finds the object literal of `export default` and its `services` and `teams`
// properties, and the last import. Anything it does not recognise is left alone: the caller
// then prints the lines to add instead, and checks any edit by loading the folder.

/** Index past the string, template literal or comment starting at `i`, or `i` when none does. */
function skipNonCode(text: string, i: number): number {
  const c = text[i];
  if (c === '/' && text[i + 1] === '/') {
    const end = text.indexOf('\n', i);
    return end === -1 ? text.length : end;
  }
  if (c === '/' && text[i + 1] === '*') {
    const end = text.indexOf('*/', i + 2);
    return end === -1 ? text.length : end + 2;
  }
  if (c === '"' || c === "'") {
    for (let j = i + 1; j < text.length; j++) {
      if (text[j] === '\\') j++;
      else if (text[j] === c || text[j] === '\n') return j + 1;
    }
    return text.length;
  }
  if (c === '`') {
    for (let j = i + 1; j < text.length; j++) {
      if (text[j] === '\\') j++;
      else if (text[j] === '`') return j + 1;
      else if (text[j] === '$' && text[j + 1] === '{') {
        const close = matching(text, j + 1);
        if (close === undefined) return text.length;
        j = close;
      }
    }
    return text.length;
  }
  return i;
}

const OPEN: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** Calls `visit` on each character of code from `from` on (strings and comments skipped) until it returns true. */
function eachCode(text: string, from: number, visit: (i: number, c: string) => boolean | void): void {
  let i = from;
  while (i < text.length) {
    const skipped = skipNonCode(text, i);
    if (skipped !== i) i = skipped;
    else if (visit(i, text[i]!) === true) return;
    else i++;
  }
}

/** Index of the bracket closing the one at `open`, or undefined. */
function matching(text: string, open: number): number | undefined {
  const stack: string[] = [];
  let found: number | undefined;
  eachCode(text, open, (i, c) => {
    if (OPEN[c]) stack.push(OPEN[c]);
    else if (c === ')' || c === ']' || c === '}') {
      if (stack.pop() !== c) return true;
      if (stack.length === 0) {
        found = i;
        return true;
      }
    }
    return false;
  });
  return found;
}

/** Index of the next code character (not whitespace, not a comment) at or after `i`. */
function nextCode(text: string, i: number): number {
  while (i < text.length) {
    if (/\s/.test(text[i]!)) i++;
    else if (text[i] === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) i = skipNonCode(text, i);
    else return i;
  }
  return i;
}

/** Index of the last code character in [from, to), or undefined. */
function lastCode(text: string, from: number, to: number): number | undefined {
  let last: number | undefined;
  let i = from;
  while (i < to) {
    const skipped = skipNonCode(text, i);
    if (skipped !== i) {
      if (!(text[i] === '/')) last = skipped - 1; // a string is code; a comment is not
      i = skipped;
    } else {
      if (!/\s/.test(text[i]!)) last = i;
      i++;
    }
  }
  return last;
}

/** Start of each top-level (depth 0) occurrence of `word` in code. */
function topLevel(text: string, word: RegExp): number[] {
  const out: number[] = [];
  let depth = 0;
  eachCode(text, 0, (i, c) => {
    if (OPEN[c]) depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (depth === 0 && (i === 0 || !/[\w$.]/.test(text[i - 1]!)) && word.exec(text.slice(i, i + 64))?.index === 0) out.push(i);
  });
  return out;
}

interface Property {
  key: string;
  keyStart: number;
  /** The value's span; for a shorthand property, the key's. */
  valueStart: number;
  valueEnd: number;
  shorthand: boolean;
}

/** The properties of the object literal whose braces are at `open` and `close`. */
function properties(text: string, open: number, close: number): Property[] | undefined {
  const out: Property[] = [];
  let i = nextCode(text, open + 1);
  while (i < close) {
    const keyMatch = /^(?:([A-Za-z_$][\w$]*)|'([^']*)'|"([^"]*)")/.exec(text.slice(i, close));
    const spread = text.startsWith('...', i);
    const keyStart = i;
    if (keyMatch && !spread) i = nextCode(text, i + keyMatch[0].length);
    // The end of this entry: the next comma at this depth, or the closing brace.
    let end = i;
    while (end < close && text[end] !== ',') {
      const skipped = skipNonCode(text, end);
      if (skipped !== end) end = skipped;
      else if (OPEN[text[end]!]) end = (matching(text, end) ?? close) + 1;
      else end++;
    }
    if (keyMatch && !spread) {
      const key = keyMatch[1] ?? keyMatch[2] ?? keyMatch[3]!;
      if (text[i] === ':')
        out.push({ key, keyStart, valueStart: nextCode(text, i + 1), valueEnd: (lastCode(text, i + 1, end) ?? i) + 1, shorthand: false });
      else if (i === end && keyMatch[1] !== undefined)
        out.push({ key, keyStart, valueStart: keyStart, valueEnd: keyStart + key.length, shorthand: true });
      else return undefined; // a method or accessor: not a config object this can edit
    }
    i = nextCode(text, end + 1);
  }
  return out;
}

interface Insert {
  at: number;
  /** Characters replaced from `at`. */
  remove: number;
  text: string;
}

/** Adds `items` to the list property `p` (`[...]`, shorthand or any other expression). */
function extendList(text: string, p: Property, items: readonly string[]): Insert | undefined {
  const list = items.join(', ');
  if (p.shorthand) return { at: p.keyStart, remove: p.key.length, text: `${p.key}: [...${p.key}, ${list}]` };
  if (text[p.valueStart] === '[' && matching(text, p.valueStart) === p.valueEnd - 1) {
    const close = p.valueEnd - 1;
    const last = lastCode(text, p.valueStart + 1, close);
    if (last === undefined) return { at: p.valueStart + 1, remove: 0, text: list };
    return text[last] === ',' ? { at: last + 1, remove: 0, text: ` ${list},` } : { at: last + 1, remove: 0, text: `, ${list}` };
  }
  const value = text.slice(p.valueStart, p.valueEnd);
  if (/^\s*$/.test(value)) return undefined;
  return { at: p.valueStart, remove: p.valueEnd - p.valueStart, text: `[...(${value}), ${list}]` };
}

/** End of the last top-level import statement, or undefined when there is none. */
function afterImports(text: string): number | undefined {
  let end: number | undefined;
  for (const start of topLevel(text, /^import[\s{*'"]/)) {
    // The module specifier is the statement's first string; `with { ... }` may follow it.
    let i = start + 'import'.length;
    while (i < text.length && text[i] !== "'" && text[i] !== '"') i = skipNonCode(text, i) === i ? i + 1 : skipNonCode(text, i);
    if (i >= text.length) return undefined;
    i = skipNonCode(text, i);
    const after = nextCode(text, i);
    if (/^(with|assert)\b/.test(text.slice(after))) {
      const brace = nextCode(text, after + 4 + (text.startsWith('assert', after) ? 2 : 0));
      const close = text[brace] === '{' ? matching(text, brace) : undefined;
      if (close === undefined) return undefined;
      i = close + 1;
    }
    const semi = nextCode(text, i);
    end = text[semi] === ';' ? semi + 1 : i;
  }
  return end;
}

export interface IndexAdditions {
  /** Whole import lines, e.g. `import { checkoutService } from './checkout.js';`. */
  imports: readonly string[];
  services: readonly string[];
  /** Spread into `teams` (e.g. `...importedTeams`); empty when no team is new. */
  teams: readonly string[];
}

/**
 * index.ts with the additions, or undefined when its default export is not an object literal
 * (`export default {...}`, `export default defineConfig({...})`) with the properties to extend.
 */
export function editIndex(text: string, add: IndexAdditions): string | undefined {
  const exports = topLevel(text, /^export\s+default\b/);
  if (exports.length !== 1) return undefined;
  let i = nextCode(text, exports[0]! + /^export\s+default/.exec(text.slice(exports[0]!))![0].length);
  const call = /^[A-Za-z_$][\w$]*/.exec(text.slice(i));
  if (call) {
    i = nextCode(text, i + call[0].length);
    if (text[i] !== '(') return undefined;
    i = nextCode(text, i + 1);
  }
  if (text[i] !== '{') return undefined;
  const close = matching(text, i);
  if (close === undefined) return undefined;
  const props = properties(text, i, close);
  if (!props) return undefined;
  const edits: Insert[] = [];
  for (const [key, items] of [
    ['services', add.services],
    ['teams', add.teams],
  ] as const) {
    if (items.length === 0) continue;
    const found = props.filter((p) => p.key === key);
    if (found.length !== 1) return undefined;
    const edit = extendList(text, found[0]!, items);
    if (!edit) return undefined;
    edits.push(edit);
  }
  if (add.imports.length > 0) {
    const at = afterImports(text);
    const lines = add.imports.join('\n');
    if (at === undefined) edits.push({ at: exports[0]!, remove: 0, text: `${lines}\n\n` });
    else edits.push({ at, remove: 0, text: `\n${lines}` });
  }
  // Back to front, so earlier positions stay valid.
  let out = text;
  for (const e of edits.sort((a, b) => b.at - a.at)) out = out.slice(0, e.at) + e.text + out.slice(e.at + e.remove);
  return out;
}
