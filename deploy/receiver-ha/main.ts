// One-shot of the receiver-ha compose profile (docker-compose.yml, docs/receiver-postgres.md):
// writes the Alertmanager config that sends remediations to every receiver replica, with the
// generated templates beside it (alertmanager.yml names them relative to itself).
//   SLOFORGE_HA_SOURCE        the generated alertmanager.yml
//   SLOFORGE_HA_OUT           where the profile's Alertmanager reads its config
//   SLOFORGE_HA_RECEIVER_URLS the replicas' webhook URLs, comma-separated
import { cpSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { haAlertmanagerConfig } from './alertmanager.js';

function required(name: string): string {
  const v = process.env[name];
  if (v === undefined || v.trim() === '') {
    process.stderr.write(`receiver-ha: ${name} is not set\n`);
    process.exit(1);
  }
  return v.trim();
}

const source = required('SLOFORGE_HA_SOURCE');
const out = required('SLOFORGE_HA_OUT');
const urls = required('SLOFORGE_HA_RECEIVER_URLS')
  .split(',')
  .map((u) => u.trim())
  .filter((u) => u !== '');
try {
  const config = haAlertmanagerConfig(readFileSync(source, 'utf8'), urls, source);
  mkdirSync(path.dirname(out), { recursive: true });
  cpSync(path.join(path.dirname(source), 'templates'), path.join(path.dirname(out), 'templates'), { recursive: true });
  // Written beside and renamed, so an Alertmanager (re)starting meanwhile never reads half a file.
  writeFileSync(`${out}.tmp`, config, { mode: 0o644 });
  renameSync(`${out}.tmp`, out);
  process.stderr.write(`receiver-ha: wrote ${out}: ${urls.length} remediation webhooks (${urls.join(', ')})\n`);
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
}
