// Imported from sloth by `sloforge import`, then edited: the `grafana` settings added (alerts
// link to their dashboards; the datasource reads your Prometheus). Edit freely: this folder is
// now the source of truth.
import type { ConfigInput } from 'sloforge';
import { teams } from './teams.js';
import { ordersService } from './orders.js';
import { shippingLabelsService } from './shipping-labels.js';

export default {
  teams,
  services: [ordersService, shippingLabelsService],
  grafana: { url: "https://grafana.example.com", datasource: { url: "http://prometheus:9090" } },
} satisfies ConfigInput;
