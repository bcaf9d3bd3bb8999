// Module resolution hook for a checkout of sloforge (see sloforge.mjs): adds the export
// condition under which `import ... from 'sloforge'` resolves to src/index.ts instead of dist/,
// as `node --conditions=sloforge-source` would (scripts/test.sh passes that flag).
export async function resolve(specifier, context, nextResolve) {
  const conditions = context.conditions.includes('sloforge-source') ? context.conditions : [...context.conditions, 'sloforge-source'];
  return nextResolve(specifier, { ...context, conditions });
}
