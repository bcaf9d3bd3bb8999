import type { ResolvedRemediation } from '../../remediation/actions-file.js';
import { runHttp } from './http.js';
import { runKubernetesScale } from './kubernetes.js';
import { runCommand } from './command.js';
import type { ActionContext, ActionOutcome } from './types.js';

export type { ActionContext, ActionOutcome } from './types.js';

export function runAction(action: ResolvedRemediation['action'], ctx: ActionContext): Promise<ActionOutcome> {
  switch (action.kind) {
    case 'http':
      return runHttp(action.http, ctx);
    case 'kubernetesScale':
      return runKubernetesScale(action.kubernetesScale, ctx);
    case 'command':
      return runCommand(action.command, ctx);
  }
}
