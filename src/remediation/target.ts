// Compile step: the model's remediations (resolved in src/model/resolve/remediations.ts) as the
// file the receiver loads, in the field order of the actions file's schema.
import type { Model, RemediationModel } from '../model/types.js';
import type { Artifact } from '../output/artifact.js';
import { renderJson, GENERATED_NOTICE } from '../output/render.js';
import { ACTIONS_FILE_VERSION, ACTIONS_PATH, type ActionsFile, type ResolvedRemediation } from './actions-file.js';

function actionsEntry(r: RemediationModel): ResolvedRemediation {
  return {
    name: r.name,
    ...(r.description !== undefined ? { description: r.description } : {}),
    cooldownMs: r.cooldownMs,
    maxConcurrent: r.maxConcurrent,
    maxPerHour: r.maxPerHour,
    dryRun: r.dryRun,
    onResolved: r.onResolved,
    retryInterrupted: r.retryInterrupted,
    triggers: r.triggers,
    action: r.action,
  };
}

export function remediationArtifacts(model: Model): Artifact[] {
  const doc: ActionsFile = {
    version: ACTIONS_FILE_VERSION,
    generatedBy: GENERATED_NOTICE,
    remediations: model.remediations.map(actionsEntry).sort((a, b) => (a.name < b.name ? -1 : 1)),
  };
  return [{ path: ACTIONS_PATH, content: renderJson(doc) }];
}
