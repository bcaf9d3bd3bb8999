// Entry point of a compile worker thread (compile-workers.ts): the per-service targets' files
// for the share of services it was handed, put into its own sink; the sink's report (or what
// went wrong) goes back.
import { parentPort, workerData } from 'node:worker_threads';
import { putServices, thrownData, type WorkerInput, type WorkerOutput } from './compile-workers.js';
import { openSink } from './output/write.js';
import { ruleSet } from './prometheus/target.js';

const { model, sink: spec } = workerData as WorkerInput;
let output: WorkerOutput;
try {
  const sink = openSink(spec);
  putServices(model, ruleSet(model), sink);
  output = { report: sink.report() };
} catch (err) {
  output = { failed: thrownData(err) };
}
parentPort?.postMessage(output);
