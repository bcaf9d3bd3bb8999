// Alertmanager checks that span fields: caught here rather than by `amtool check-config` later.
import type { Config } from '../config/schema/config.js';
import type { ConfigPath, ConfigProblem } from '../config/errors.js';
import type { ReceiverSpec } from './receivers.js';

function emailProblems(spec: ReceiverSpec | undefined, at: ConfigPath, cfg: Config): ConfigProblem[] {
  const email = spec?.email;
  if (!email) return [];
  const smtp = cfg.alertmanager?.smtp;
  const out: ConfigProblem[] = [];
  // Alertmanager 0.25 refuses an email receiver without both, unless `global` provides them.
  if (email.from === undefined && smtp?.from === undefined) {
    out.push({ path: [...at, 'email', 'from'], message: 'is required (or set alertmanager.smtp.from for every email receiver)' });
  }
  if (email.smarthost === undefined && smtp?.smarthost === undefined) {
    out.push({ path: [...at, 'email', 'smarthost'], message: 'is required (or set alertmanager.smtp.smarthost for every email receiver)' });
  }
  return out;
}

export function alertmanagerProblems(cfg: Config): ConfigProblem[] {
  const out = emailProblems(cfg.alertmanager?.defaultReceiver, ['alertmanager', 'defaultReceiver'], cfg);
  cfg.teams.forEach((t, i) => {
    out.push(...emailProblems(t.page, ['teams', i, 'page'], cfg), ...emailProblems(t.ticket, ['teams', i, 'ticket'], cfg));
  });
  return out;
}
