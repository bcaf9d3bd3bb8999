// SLI kind `boolGauge`: a 0/1 gauge, here a blackbox probe.
import { grafana, team } from '../../team.js';

export default {
  teams: [team],
  grafana,
  services: [
    {
      name: 'storefront',
      team: 'payments',
      slos: [
        {
          name: 'probe',
          objective: 99.5,
          sli: { boolGauge: { series: 'probe_success{job="blackbox",instance="https://shop.example.com"}' } },
        },
      ],
    },
  ],
};
