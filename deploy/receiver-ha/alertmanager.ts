// The receiver-ha profile's Alertmanager config: the generated alertmanager.yml with the
// remediation webhook sent to every receiver replica instead of the one file-store receiver.
// Each replica is its own webhook_config, so Alertmanager delivers (and retries) to each on its
// own: one replica down delays nothing for the other, and the shared database runs each alert's
// action once however many replicas it reached. Everything else (routes, inhibitions, the token
// file) stays as generated.
import { parse, stringify } from 'yaml';
import { REMEDIATION_RECEIVER } from '../../src/conventions.js';

interface WebhookConfig {
  url: string;
  [key: string]: unknown;
}
interface AlertmanagerConfig {
  receivers?: Array<{ name: string; webhook_configs?: WebhookConfig[] }>;
  [key: string]: unknown;
}

/** `text` (alertmanager.yml) with the remediation receiver's webhook copied once per URL in `urls`. */
export function haAlertmanagerConfig(text: string, urls: readonly string[], source = 'alertmanager.yml'): string {
  if (urls.length === 0) throw new Error('receiver-ha: no receiver URL given (SLOFORGE_HA_RECEIVER_URLS)');
  for (const u of urls) {
    let parsed: URL;
    try {
      parsed = new URL(u);
    } catch {
      throw new Error(`receiver-ha: ${JSON.stringify(u)} is not a URL (SLOFORGE_HA_RECEIVER_URLS)`);
    }
    if (parsed.pathname !== '/alerts') throw new Error(`receiver-ha: ${u} should end in /alerts, where the receiver takes webhooks`);
  }
  const cfg = parse(text) as AlertmanagerConfig;
  const receiver = cfg.receivers?.find((r) => r.name === REMEDIATION_RECEIVER);
  const hook = receiver?.webhook_configs?.[0];
  if (!receiver || !hook) {
    throw new Error(
      `receiver-ha: ${source} has no ${REMEDIATION_RECEIVER} webhook (no remediations declared?); nothing would reach the receivers`,
    );
  }
  receiver.webhook_configs = urls.map((url) => ({ ...structuredClone(hook), url }));
  return stringify(cfg);
}
