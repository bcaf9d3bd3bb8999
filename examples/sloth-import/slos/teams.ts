// Imported from sloth by `sloforge import`, then edited: Sloth specs name no receivers, so the
// import wrote { none: true } for both tiers (and `sloforge generate` warned on every run). The
// receivers below replace them; docs/alertmanager.md lists every kind.
import type { TeamInput } from 'sloforge';

export const teams = [
  {
    name: "fulfilment",
    page: {
      pagerduty: { routingKeyFile: "/etc/alertmanager/secrets/fulfilment-pagerduty" }
    },
    ticket: {
      slack: { apiUrlFile: "/etc/alertmanager/secrets/slack-webhook", channel: "#fulfilment-alerts" }
    }
  }
] satisfies TeamInput[];
