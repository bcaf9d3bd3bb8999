// Module resolution hook for a checkout of sloforge (see sloforge.mjs): adds the export
// condition under which `import ... from 'sloforge'` resolves to src/index.ts instead of dist/,
// as `node --conditions=sloforge-source` would (scripts/test.sh passes that flag).
export const CONDITION = 'sloforge-source';

function withCondition(context) {
  return context.conditions.includes(CONDITION) ? context : { ...context, conditions: [...context.conditions, CONDITION] };
}

/** For module.registerHooks (Node 22.15+), which also covers require() from a CommonJS folder. */
export function resolveSync(specifier, context, nextResolve) {
  return nextResolve(specifier, withCondition(context));
}

/** For module.register (Node 20), import only. */
export async function resolve(specifier, context, nextResolve) {
  return nextResolve(specifier, withCondition(context));
}
