// Where a field of a loaded config is written: `slos/checkout.ts:14:7` for
// services.0.slos.1.objective, whether the user wrote plain object literals, define* helpers,
// spreads or imports from other files. The runtime objects do not know where they came from, so
// the path is walked twice in step: through the values, and through the TypeScript syntax that
// built them (the entry's default export, property by property, following identifiers to their
// declarations and imports to their files). Where the syntax cannot be followed (a value a
// function computed), an object a define* helper tagged with its call site takes over, and
// failing that the deepest field found is named. Only the files a message needs are parsed,
// and only when there is a message: the TypeScript compiler is loaded lazily.
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as TS from 'typescript';
import type { SourceLocation } from './stack.js';

/** Set by the define* helpers on what they return: a `CallSite`. */
export const SOURCE_LOCATION = Symbol.for('sloforge.sourceLocation');

/**
 * Where a define* helper was called (file, and line and column when the stack says them), and
 * where in the call the tagged object is written: its argument, an element of it (a list of
 * thresholds), or nowhere (objects the helper built itself).
 */
export interface CallSite extends SourceLocation {
  written: 'argument' | number | 'nowhere';
}

let typescript: typeof TS | undefined;
function ts(): typeof TS {
  typescript ??= createRequire(import.meta.url)('typescript') as typeof TS;
  return typescript;
}

/** The default export of each loaded entry file, by the object itself. */
const entries = new WeakMap<object, Locator>();

/** Records that `raw` is the default export of `entry`, so that `locate` can find its fields. */
export function registerSource(raw: unknown, entry: string): void {
  if (raw !== null && typeof raw === 'object') entries.set(raw, new Locator(raw, path.resolve(entry)));
}

/**
 * The file, line and column (1-based) of the field at `path` in a config that `loadConfig`
 * loaded: the property itself (`objective: 0.999` names its `objective`), or an array's element.
 * A field that is missing is located at the object that lacks it. Undefined when nothing along
 * the path can be found (a config that was not loaded from a file).
 */
export function locate(raw: unknown, configPath: ReadonlyArray<string | number>): SourceLocation | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  return entries.get(raw)?.locate(configPath);
}

/** An expression that produces a value, in the file it is written in. */
interface Value {
  node: TS.Expression;
  sf: TS.SourceFile;
}

/** `import * as ns from './x.js'`: a module's exports, looked up by name. */
interface Namespace {
  namespace: string;
}

type Resolved = Value | Namespace | undefined;

const isValue = (r: Resolved): r is Value => r !== undefined && 'node' in r;

/** A step of the walk: the field's position (the property or element) and the value it holds. */
interface Step {
  at: { node: TS.Node; sf: TS.SourceFile };
  value: Value | undefined;
}

/** Identifiers followed at most this deep: a cycle of re-exports must not hang a message. */
const MAX_DEPTH = 32;

const isRecord = (v: unknown): v is Record<string | number, unknown> => v !== null && typeof v === 'object';

class Locator {
  private readonly files = new Map<string, TS.SourceFile | undefined>();
  private readonly cache = new Map<string, SourceLocation | undefined>();

  constructor(
    private readonly raw: object,
    private readonly entry: string,
  ) {}

  locate(configPath: ReadonlyArray<string | number>): SourceLocation | undefined {
    const key = JSON.stringify(configPath);
    if (!this.cache.has(key)) this.cache.set(key, this.walk(configPath));
    return this.cache.get(key);
  }

  private walk(configPath: ReadonlyArray<string | number>): SourceLocation | undefined {
    const entry = this.sourceFile(this.entry);
    let value: Value | undefined = entry ? this.defaultExport(entry) : undefined;
    let runtime: unknown = this.raw;
    const rootTag = this.tagged(runtime);
    let best: SourceLocation | undefined = value
      ? this.position(value.node, value.sf)
      : rootTag && { file: rootTag.file, line: rootTag.line, column: rootTag.column };
    value = value ?? this.anchor(runtime);
    for (const key of configPath) {
      const next = isRecord(runtime) ? runtime[key] : undefined;
      const step = value ? this.step(value, key, 0) : undefined;
      // A list the code reordered or filtered: the syntax no longer describes these values.
      const agrees = step !== undefined && this.sameName(step.value, next);
      if (step && agrees) best = this.position(step.at.node, step.at.sf);
      value = agrees ? step?.value : undefined;
      if (value === undefined) {
        // Built by code the syntax cannot follow: a define* helper's call site still can be.
        value = this.anchor(next);
        const tag = this.tagged(next);
        if (!agrees && tag) best = { file: tag.file, line: tag.line, column: tag.column };
      }
      runtime = next;
      if (value === undefined && !isRecord(runtime)) break;
    }
    return best;
  }

  /** Where a define* helper tagged `value`, when it did. */
  private tagged(value: unknown): CallSite | undefined {
    if (!isRecord(value)) return undefined;
    const tag = (value as Record<symbol, unknown>)[SOURCE_LOCATION];
    if (!isRecord(tag) || typeof tag.file !== 'string') return undefined;
    const site = tag as unknown as CallSite;
    return { file: site.file, line: site.line, column: site.column, written: site.written } as CallSite;
  }

  /** The argument of the define* call that built `value`, found at the call site its tag names. */
  private anchor(value: unknown): Value | undefined {
    const tag = this.tagged(value);
    if (!tag || tag.line === undefined || tag.column === undefined || tag.written === 'nowhere') return undefined;
    const sf = this.sourceFile(tag.file);
    if (!sf) return undefined;
    let pos: number;
    try {
      pos = sf.getPositionOfLineAndCharacter(tag.line - 1, tag.column - 1);
    } catch {
      return undefined;
    }
    const t = ts();
    let found: TS.CallExpression | undefined;
    const visit = (node: TS.Node): void => {
      if (found || pos < node.getFullStart() || pos >= node.getEnd()) return;
      if (t.isCallExpression(node) && node.getStart(sf) <= pos && pos < node.arguments.pos) found = node;
      t.forEachChild(node, visit);
    };
    visit(sf);
    const arg = found?.arguments[0];
    const r = arg ? this.resolve(arg, sf, 0) : undefined;
    if (!isValue(r)) return undefined;
    return typeof tag.written === 'number' ? this.step(r, tag.written, 0)?.value : r;
  }

  /** False when both the syntax and the value have a string `name` and they differ. */
  private sameName(value: Value | undefined, runtime: unknown): boolean {
    if (!value || !isRecord(runtime) || typeof runtime.name !== 'string') return true;
    const t = ts();
    if (!t.isObjectLiteralExpression(value.node)) return true;
    const step = this.step(value, 'name', 0);
    const written = step?.value?.node;
    return !written || !t.isStringLiteralLike(written) || written.text === runtime.name;
  }

  private position(node: TS.Node, sf: TS.SourceFile): SourceLocation {
    const t = ts();
    const start = t.isPropertyAssignment(node) || t.isShorthandPropertyAssignment(node) ? node.name.getStart(sf) : node.getStart(sf);
    const { line, character } = sf.getLineAndCharacterOfPosition(start);
    return { file: sf.fileName, line: line + 1, column: character + 1 };
  }

  private sourceFile(file: string): TS.SourceFile | undefined {
    if (!this.files.has(file)) {
      let sf: TS.SourceFile | undefined;
      try {
        const t = ts();
        const kind = /\.[cm]?jsx?$/.test(file) ? t.ScriptKind.JS : /\.tsx$/.test(file) ? t.ScriptKind.TSX : t.ScriptKind.TS;
        sf = t.createSourceFile(file, readFileSync(file, 'utf8'), t.ScriptTarget.Latest, true, kind);
      } catch {
        sf = undefined;
      }
      this.files.set(file, sf);
    }
    return this.files.get(file);
  }

  /** `export default <expr>`, or `export { x as default }`. */
  private defaultExport(sf: TS.SourceFile): Value | undefined {
    const r = this.exportOf(sf, 'default', 0);
    return isValue(r) ? r : undefined;
  }

  /** The field `key` of an object or array literal, through spreads. */
  private step(from: Value, key: string | number, depth: number): Step | undefined {
    const t = ts();
    const { node, sf } = from;
    if (typeof key === 'string' && t.isObjectLiteralExpression(node)) {
      // The last property of a name wins, as it does at run time.
      for (const prop of [...node.properties].reverse()) {
        if ((t.isPropertyAssignment(prop) || t.isShorthandPropertyAssignment(prop)) && propertyName(t, prop.name) === key) {
          const r = t.isPropertyAssignment(prop) ? this.resolve(prop.initializer, sf, depth) : this.identifier(prop.name.text, sf, depth);
          return { at: { node: prop, sf }, value: isValue(r) ? r : undefined };
        }
        if (t.isSpreadAssignment(prop)) {
          const inner = this.resolve(prop.expression, sf, depth);
          const found = isValue(inner) && depth < MAX_DEPTH ? this.step(inner, key, depth + 1) : undefined;
          if (found) return found;
        }
      }
      return undefined;
    }
    if (typeof key === 'number' && t.isArrayLiteralExpression(node)) {
      let index = key;
      for (const el of node.elements) {
        if (t.isSpreadElement(el)) {
          const inner = this.resolve(el.expression, sf, depth);
          if (!isValue(inner) || !t.isArrayLiteralExpression(inner.node) || depth >= MAX_DEPTH) return undefined;
          const length = this.arrayLength(inner, depth + 1);
          if (length === undefined) return undefined;
          if (index < length) return this.step(inner, index, depth + 1);
          index -= length;
          continue;
        }
        if (index === 0) {
          const r = this.resolve(el, sf, depth);
          return { at: { node: el, sf }, value: isValue(r) ? r : undefined };
        }
        index--;
      }
    }
    return undefined;
  }

  /** Elements an array literal has at run time, through spreads of other array literals. */
  private arrayLength(from: Value, depth: number): number | undefined {
    const t = ts();
    if (!t.isArrayLiteralExpression(from.node)) return undefined;
    let n = 0;
    for (const el of from.node.elements) {
      if (!t.isSpreadElement(el)) {
        n++;
        continue;
      }
      const inner = this.resolve(el.expression, from.sf, depth);
      const length = isValue(inner) && depth < MAX_DEPTH ? this.arrayLength(inner, depth + 1) : undefined;
      if (length === undefined) return undefined;
      n += length;
    }
    return n;
  }

  /** The expression whose value `expr` is: through parentheses, type assertions, define* calls, names and imports. */
  private resolve(expr: TS.Expression, sf: TS.SourceFile, depth: number): Resolved {
    const t = ts();
    if (depth > MAX_DEPTH) return undefined;
    if (
      t.isParenthesizedExpression(expr) ||
      t.isAsExpression(expr) ||
      t.isSatisfiesExpression(expr) ||
      t.isNonNullExpression(expr) ||
      t.isTypeAssertionExpression(expr)
    ) {
      return this.resolve(expr.expression, sf, depth + 1);
    }
    if (t.isObjectLiteralExpression(expr) || t.isArrayLiteralExpression(expr)) return { node: expr, sf };
    if (t.isCallExpression(expr)) {
      // defineService({...}) and kin return their argument.
      const callee = t.isPropertyAccessExpression(expr.expression)
        ? expr.expression.name.text
        : t.isIdentifier(expr.expression)
          ? expr.expression.text
          : '';
      const arg = expr.arguments[0];
      return /^define[A-Z]/.test(callee) && arg ? this.resolve(arg, sf, depth + 1) : { node: expr, sf };
    }
    if (t.isIdentifier(expr)) return this.identifier(expr.text, sf, depth + 1);
    if (t.isPropertyAccessExpression(expr)) {
      const base = this.resolve(expr.expression, sf, depth + 1);
      if (base && 'namespace' in base) {
        const file = this.sourceFile(base.namespace);
        return file ? this.exportOf(file, expr.name.text, depth + 1) : undefined;
      }
      if (isValue(base)) return this.step(base, expr.name.text, depth + 1)?.value;
      return undefined;
    }
    return { node: expr, sf };
  }

  /** A name declared at the top of a file: a `const`, or an import from a relative file. */
  private identifier(name: string, sf: TS.SourceFile, depth: number): Resolved {
    const t = ts();
    for (const st of sf.statements) {
      if (t.isVariableStatement(st)) {
        for (const d of st.declarationList.declarations) {
          if (t.isIdentifier(d.name) && d.name.text === name) return d.initializer ? this.resolve(d.initializer, sf, depth + 1) : undefined;
        }
      } else if (t.isImportDeclaration(st) && st.importClause && t.isStringLiteral(st.moduleSpecifier)) {
        const clause = st.importClause;
        const bindings = clause.namedBindings;
        const from = () => this.module(sf, (st.moduleSpecifier as TS.StringLiteral).text);
        if (clause.name?.text === name) {
          const file = from();
          return file ? this.exportOf(file, 'default', depth + 1) : undefined;
        }
        if (bindings && t.isNamespaceImport(bindings) && bindings.name.text === name) {
          const file = from();
          return file ? { namespace: file.fileName } : undefined;
        }
        if (bindings && t.isNamedImports(bindings)) {
          const spec = bindings.elements.find((e) => e.name.text === name);
          if (spec) {
            const file = from();
            return file ? this.exportOf(file, (spec.propertyName ?? spec.name).text, depth + 1) : undefined;
          }
        }
      }
    }
    return undefined;
  }

  /** What a file exports under `name`: `export const`, `export default`, `export { a as name }`, `export *`. */
  private exportOf(sf: TS.SourceFile, name: string, depth: number): Resolved {
    const t = ts();
    if (depth > MAX_DEPTH) return undefined;
    const exported = (st: TS.Statement) =>
      t.canHaveModifiers(st) && (t.getModifiers(st) ?? []).some((m) => m.kind === t.SyntaxKind.ExportKeyword);
    for (const st of sf.statements) {
      if (name === 'default' && t.isExportAssignment(st) && !st.isExportEquals) return this.resolve(st.expression, sf, depth + 1);
      if (t.isVariableStatement(st) && exported(st)) {
        for (const d of st.declarationList.declarations) {
          if (t.isIdentifier(d.name) && d.name.text === name) return d.initializer ? this.resolve(d.initializer, sf, depth + 1) : undefined;
        }
      }
      if (t.isExportDeclaration(st) && st.exportClause && t.isNamedExports(st.exportClause)) {
        const spec = st.exportClause.elements.find((e) => e.name.text === name);
        if (spec) {
          const local = (spec.propertyName ?? spec.name).text;
          if (st.moduleSpecifier && t.isStringLiteral(st.moduleSpecifier)) {
            const file = this.module(sf, st.moduleSpecifier.text);
            return file ? this.exportOf(file, local, depth + 1) : undefined;
          }
          return this.identifier(local, sf, depth + 1);
        }
      }
    }
    for (const st of sf.statements) {
      if (
        name !== 'default' &&
        t.isExportDeclaration(st) &&
        !st.exportClause &&
        st.moduleSpecifier &&
        t.isStringLiteral(st.moduleSpecifier)
      ) {
        const file = this.module(sf, st.moduleSpecifier.text);
        const r = file ? this.exportOf(file, name, depth + 1) : undefined;
        if (r) return r;
      }
    }
    return undefined;
  }

  /** A relative import's file, as TypeScript's node16 resolution finds it (`./x.js` is `./x.ts`). */
  private module(from: TS.SourceFile, specifier: string): TS.SourceFile | undefined {
    if (!specifier.startsWith('.')) return undefined;
    const base = path.resolve(path.dirname(from.fileName), specifier);
    const stem = base.replace(/\.[cm]?[jt]sx?$/, '');
    const candidates = [
      ...['.ts', '.mts', '.cts', '.tsx'].map((ext) => stem + ext),
      base,
      ...['.js', '.mjs', '.cjs'].map((ext) => stem + ext),
      ...['index.ts', 'index.mts', 'index.js'].map((f) => path.join(base, f)),
    ];
    const file = candidates.find((c) => statSync(c, { throwIfNoEntry: false })?.isFile());
    return file === undefined ? undefined : this.sourceFile(file);
  }
}

function propertyName(t: typeof TS, name: TS.PropertyName): string | undefined {
  if (t.isIdentifier(name) || t.isStringLiteralLike(name) || t.isNumericLiteral(name) || t.isPrivateIdentifier(name)) return name.text;
  if (t.isComputedPropertyName(name) && t.isStringLiteralLike(name.expression)) return name.expression.text;
  return undefined;
}
