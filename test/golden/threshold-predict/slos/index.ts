// Threshold kind `predict`: a linear forecast that crosses a level within the horizon.
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
          name: 'queue-forecast',
          predict: { series: 'workflow_queue_pending_jobs{job="workflow-worker"}', window: '30m', horizon: '1h' },
          warning: 500,
          critical: 1000,
          for: '5m',
          unit: 'jobs',
        },
      ],
    },
  ],
};
