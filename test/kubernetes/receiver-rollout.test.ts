// A changed remediation reaches the receiver in the cluster: the Deployment's pod template
// carries a checksum of the actions file and the receiver's settings, so `kubectl apply` of a
// changed config replaces the pod, while an unchanged config leaves it alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { K8S } from '../../src/conventions.js';
import { compileConfig, everyOption, manifests, ofKind } from './fixture.js';

function podTemplate(cfg: unknown): { annotations: Record<string, string>; actions: string } {
  const list = manifests(compileConfig(cfg));
  const deployment = ofKind(list, 'Deployment')[0]!.object;
  const actions = ofKind(list, 'ConfigMap').find((m) => m.object.metadata.name === 'sloforge-receiver-actions')!.object.data[
    'actions.json'
  ];
  return { annotations: deployment.spec.template.metadata.annotations, actions };
}

test("the pod template's checksum follows the actions and the receiver settings, and nothing else", () => {
  const base = podTemplate(everyOption());
  const sum = base.annotations[K8S.checksumAnnotation]!;
  assert.match(sum, /^[0-9a-f]{64}$/);
  // The same config, the same pod template: apply changes nothing.
  assert.equal(podTemplate(everyOption()).annotations[K8S.checksumAnnotation], sum);

  // A remediation switched to dry run: the actions file changes, and so does the pod template.
  const dry = everyOption();
  dry.remediations[0].dryRun = true;
  const changed = podTemplate(dry);
  assert.notEqual(changed.actions, base.actions);
  assert.notEqual(changed.annotations[K8S.checksumAnnotation], sum);

  // A receiver setting outside the pod spec (the claim's size) rolls it too.
  const bigger = everyOption();
  bigger.kubernetes.receiver.storage = '10Gi';
  assert.notEqual(podTemplate(bigger).annotations[K8S.checksumAnnotation], sum);

  // A change elsewhere (a threshold's level) leaves the receiver's pod alone.
  const other = everyOption();
  other.services[1].thresholds[0].warning = 6;
  assert.equal(podTemplate(other).annotations[K8S.checksumAnnotation], sum);
});
