// The placeholder language of remediation templates ({{labels.service}}): part of the config
// language, checked at generate time, filled in by the receiver at run time.

export const PLACEHOLDER_RE = /\{\{\s*([^{}]*?)\s*\}\}/g;
export const SCALARS = ['remediation', 'status', 'fingerprint', 'startsAt', 'endsAt'] as const;
export const MAP_RE = /^(labels|annotations)\.([a-zA-Z_][a-zA-Z0-9_]*)$/;

export const PLACEHOLDER_HELP = `{{labels.NAME}}, {{annotations.NAME}}, ${SCALARS.map((s) => `{{${s}}}`).join(', ')}`;

/** Problems with a template string, for config validation (empty when it is fine). */
export function templateProblems(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(PLACEHOLDER_RE)) {
    const ref = m[1]!;
    if (!(SCALARS as readonly string[]).includes(ref) && !MAP_RE.test(ref)) {
      out.push(`unknown placeholder "${m[0]}" (use ${PLACEHOLDER_HELP})`);
    }
  }
  return out;
}
