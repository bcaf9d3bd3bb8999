// Optional helpers for users' SLO files: types while editing, and the file each object came
// from, so that error messages can point at slos/checkout.ts:12:7 rather than slos/index.ts.
import { formatLocation, isLibraryFile, stackLocations, type SourceLocation } from './stack.js';
import { SOURCE_LOCATION, type CallSite } from './source-location.js';
import { fileURLToPath } from 'node:url';
import { SOURCE_FILE } from './errors.js';
import type { ConfigInput, ReceiverMonitoringOptions, RemediationInput, ServiceInput, TeamInput, ThresholdInput } from './public-types.js';
import { buildReceiverThresholds } from './receiver-thresholds.js';

export type { ServiceInput, SloInput, ThresholdInput, RemediationInput, TeamInput } from './public-types.js';

const THIS_FILE = fileURLToPath(import.meta.url);

/** Where the user called a define* helper: the first frame outside this file and node_modules. */
function callerLocation(): SourceLocation | undefined {
  return stackLocations(new Error().stack).find((l) => l.file !== THIS_FILE && !isLibraryFile(l.file));
}

/** The call site, for messages: as text (the file when nothing better is known) and as a position (source-location.ts). */
function tag<T extends object>(value: T, loc: SourceLocation | undefined, written: CallSite['written'] = 'argument'): T {
  if (loc === undefined || Object.isFrozen(value)) return value;
  const site: CallSite = { ...loc, written };
  Object.defineProperty(value, SOURCE_FILE, { value: formatLocation(loc), enumerable: false, configurable: true });
  Object.defineProperty(value, SOURCE_LOCATION, { value: site, enumerable: false, configurable: true });
  return value;
}

// Not generic on purpose: with `<T extends ServiceInput>(svc: T)` an object literal may carry any
// extra property, so a misspelt optional field (`descripton`) would pass the editor and tsc.

export function defineConfig(config: ConfigInput): ConfigInput {
  return tag(config, callerLocation());
}

export function defineService(svc: ServiceInput): ServiceInput {
  return tag(svc, callerLocation());
}

export function defineTeam(t: TeamInput): TeamInput {
  return tag(t, callerLocation());
}

export function defineRemediation(r: RemediationInput): RemediationInput {
  return tag(r, callerLocation());
}

/** Thresholds kept in a file of their own: errors then name that file, not the service's. */
export function defineThresholds(list: ThresholdInput[]): ThresholdInput[] {
  const file = callerLocation();
  list.forEach((th, i) => tag(th, file, i));
  return list;
}

/**
 * Alerts on the remediation receiver itself (down, failing actions, a remediation halted at its
 * hourly cap, event-log writes refused, unreadable log lines), as thresholds for the service
 * that owns the receiver: `thresholds: receiverThresholds({ job: 'sloforge-receiver' })`.
 */
export function receiverThresholds(opts: ReceiverMonitoringOptions): ThresholdInput[] {
  const file = callerLocation();
  // Built here, not written by the user: only the call site says where they come from.
  return buildReceiverThresholds(opts).map((th) => tag(th, file, 'nowhere'));
}
