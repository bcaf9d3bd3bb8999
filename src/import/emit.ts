// Prints an imported config as a slos folder: index.ts, teams.ts and one file per service.
// Literals go through JSON.stringify, so the text is deterministic and always valid TypeScript.
// Imports from `sloforge` are type-only: they vanish when the folder runs, so `generate` loads it
// wherever it was written, even where the package does not resolve; where it does, `satisfies`
// type-checks every field in the editor.
import type { Artifact } from '../output/artifact.js';
import { SPEC_TITLES, type Imported, type ImportedService, type SpecKind } from './model.js';

const HEADER = (what: string) => `// Imported ${what} by \`sloforge import\`. Edit freely: this folder is now the source of truth.\n`;

/** JSON with identifier keys unquoted, which reads like hand-written TypeScript. */
export function literal(value: unknown, indent = 0): string {
  const text = JSON.stringify(value, null, 2).replace(/^(\s*)"([A-Za-z_$][\w$]*)":/gm, '$1$2:');
  return text.split('\n').join('\n' + ' '.repeat(indent));
}

function identifier(name: string): string {
  return name.replace(/-+([a-z0-9])/g, (_, c: string) => c.toUpperCase()).replace(/-/g, '') + 'Service';
}

function comment(lines: readonly string[]): string {
  return lines.map((l) => `// ${l.replace(/\n/g, ' ')}\n`).join('');
}

export interface ServiceFile {
  svc: ImportedService;
  file: string;
  ident: string;
}

/** The first of `base`, `base2`, `base3`, ... not in `used`, which it joins. */
export function freeName(base: string, used: Set<string>, numbered: (n: number) => string = (n) => `${base}${n}`): string {
  let name = base;
  for (let n = 2; used.has(name); n++) name = numbered(n);
  used.add(name);
  return name;
}

/**
 * A file and an identifier per service. `taken` holds the file names and identifiers already in
 * use (index.ts and teams.ts in a new folder; everything in the folder and in its index.ts for
 * --merge); service names are unique, so only those can collide.
 */
export function serviceFiles(
  services: readonly ImportedService[],
  taken = { files: new Set(['index.ts', 'teams.ts']), idents: new Set<string>() },
): ServiceFile[] {
  return services.map((svc) => {
    const file = freeName(`${svc.name}.ts`, taken.files, (n) => (n === 2 ? `${svc.name}-service.ts` : `${svc.name}-service${n - 1}.ts`));
    const ident = freeName(identifier(svc.name), taken.idents);
    return { svc, file, ident };
  });
}

export function serviceSource(f: ServiceFile, kind: string): string {
  const { svc } = f;
  const body: Record<string, unknown> = { name: svc.name, team: svc.team };
  if (Object.keys(svc.labels).length > 0) body.labels = svc.labels;
  body.slos = svc.slos;
  const notes = svc.notes.length > 0 ? comment(['Not carried over, or changed, on import:', ...svc.notes.map((n) => `- ${n}`)]) : '';
  return (
    HEADER(`from ${kind} (${svc.sources.join(', ') || 'no SLOs'})`) +
    notes +
    `import type { ServiceInput } from 'sloforge';\n\n` +
    `export const ${f.ident} = ${literal(body)} satisfies ServiceInput;\n`
  );
}

/** An imported team: specs name no receivers, so it says on purpose that nobody is notified yet. */
export function importedTeam(name: string): { name: string; page: { none: true }; ticket: { none: true } } {
  return { name, page: { none: true }, ticket: { none: true } };
}

export function teamsSource(teams: readonly string[], kind: SpecKind, ident = 'teams'): string {
  return (
    HEADER(`from ${kind}`) +
    comment([
      `${SPEC_TITLES[kind].format} specs name no receivers, so every team starts with { none: true }: its alerts`,
      'reach nobody, and `sloforge generate` warns about it on every run. Replace them with real receivers',
      '(pagerduty, slack, email, webhook, ...): docs/alertmanager.md.',
    ]) +
    `import type { TeamInput } from 'sloforge';\n\n` +
    `export const ${ident} = ${literal(teams.map(importedTeam))} satisfies TeamInput[];\n`
  );
}

function indexSource(files: readonly ServiceFile[], kind: string): string {
  const imports = files.map((f) => `import { ${f.ident} } from './${f.file.replace(/\.ts$/, '.js')}';\n`).join('');
  return (
    HEADER(`from ${kind}`) +
    `import type { ConfigInput } from 'sloforge';\n` +
    `import { teams } from './teams.js';\n` +
    imports +
    `\nexport default {\n  teams,\n  services: [${files.map((f) => f.ident).join(', ')}],\n} satisfies ConfigInput;\n`
  );
}

export function emitFolder(imported: Imported): Artifact[] {
  const kind = imported.kind;
  const files = serviceFiles(imported.services);
  return [
    { path: 'index.ts', content: indexSource(files, kind) },
    { path: 'teams.ts', content: teamsSource(imported.teams, kind) },
    ...files.map((f) => ({ path: f.file, content: serviceSource(f, kind) })),
  ];
}
