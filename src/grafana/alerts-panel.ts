// What is firing for a service and since when: ALERTS_FOR_STATE holds each active alert's start
// as a Unix time, and the `and` keeps only those ALERTS marks as firing (not pending).
import { TablePanel, units } from './sdk.js';
import { matcherText } from '../promql/labels.js';
import type { Layout } from './panels.js';

export const ALERT_KEYS = ['alertname', 'severity', 'slo', 'threshold'];

export function firingAlertsExpr(labels: Record<string, string>): string {
  const sel = matcherText(labels);
  const firing = matcherText({ ...labels, alertstate: 'firing' });
  return `ALERTS_FOR_STATE${sel} * 1000\nand on (${ALERT_KEYS.join(', ')})\nALERTS${firing}`;
}

export function firingAlertsPanel(layout: Layout, service: string): void {
  layout.panel(
    new TablePanel()
      .title('Firing alerts')
      .description('Alerts of this service that are firing now, with how long ago each started. Pending alerts are left out.')
      .unit(units.DateTimeFromNow)
      .noValue('No alert firing')
      .withTransformation({ id: 'organize', options: { excludeByName: { Time: true }, renameByName: { Value: 'firing since' } } })
      .span(24)
      .height(6),
    [{ expr: firingAlertsExpr({ service }), instant: true }],
  );
}
