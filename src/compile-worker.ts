// Entry point of a compile worker thread (compile-workers.ts): sent its share of the services, it
// builds their rule groups at once; sent a sink, it puts the per-service targets' files of its
// services into its own sink, and sends back the sink's report and its rules in numbers (or what
// went wrong).
import { parentPort } from 'node:worker_threads';
import { putServices, thrownData, type WorkerInput, type WorkerOutput } from './compile-workers.js';
import { openSink } from './output/write.js';
import { ruleCounts } from './compile.js';
import type { Model } from './model/types.js';
import { ruleSet, type RuleSet } from './prometheus/target.js';
import { InternalError } from './errors.js';

let share: { model: Model; rules: RuleSet } | { failed: unknown } | undefined;

function onMessage(m: WorkerInput): void {
  if ('model' in m) {
    try {
      share = { model: m.model, rules: ruleSet(m.model) };
    } catch (err) {
      share = { failed: err };
    }
    return;
  }
  let output: WorkerOutput;
  try {
    if (share === undefined) throw new InternalError('a compile worker was told to write before it was given its share');
    if ('failed' in share) throw share.failed;
    const sink = openSink(m.sink);
    putServices(share.model, share.rules, sink);
    output = { report: sink.report(), rules: ruleCounts(share.rules) };
  } catch (err) {
    output = { failed: thrownData(err) };
  }
  // The last message: without a listener the port lets the thread end once the report is sent.
  parentPort?.off('message', onMessage);
  parentPort?.postMessage(output);
}

parentPort?.on('message', onMessage);
