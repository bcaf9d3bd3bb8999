// Threshold kind `anomaly`: a z-score against the series' own history, both directions.
import { grafana, team } from '../../team.js';

export default {
  teams: [team],
  grafana,
  services: [
    {
      name: 'workflows',
      team: 'payments',
      thresholds: [
        {
          name: 'traffic-spike',
          anomaly: { series: 'sum(rate(workflow_executions_total{job="workflow-worker"}[5m]))', baseline: '1d', minBaseline: '6h' },
          warning: 3,
          critical: 5,
          for: '10m',
        },
        {
          name: 'traffic-drop',
          anomaly: { series: 'sum(rate(workflow_executions_total{job="workflow-worker"}[5m]))', baseline: '2h' },
          direction: 'below',
          critical: 4,
          for: '15m',
        },
      ],
    },
  ],
};
