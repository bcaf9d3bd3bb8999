// Imported from sloth (sloth/orders.yml) by `sloforge import`. Edit freely: this folder is now the source of truth.
// Not carried over, or changed, on import:
// - labels and annotations of one alert tier dropped: sloforge sets severity per tier itself and routes by team (docs/alertmanager.md) (SLO "submit-availability", alerting.page_alert)
// - labels and annotations of one alert tier dropped: sloforge sets severity per tier itself and routes by team (docs/alertmanager.md) (SLO "submit-availability", alerting.ticket_alert)
// - labels and annotations of one alert tier dropped: sloforge sets severity per tier itself and routes by team (docs/alertmanager.md) (SLO "submit-latency", alerting.ticket_alert)
import type { ServiceInput } from 'sloforge';

export const ordersService = {
  name: "orders",
  team: "fulfilment",
  labels: {
    owner: "fulfilment",
    tier: "2"
  },
  slos: [
    {
      name: "submit-availability",
      objective: 99.5,
      period: "30d",
      description: "Order submissions succeed.",
      sli: {
        ratio: {
          errors: "orders_submitted_total{job=\"orders\",result=\"error\"}",
          total: "orders_submitted_total{job=\"orders\"}"
        }
      },
      alerting: {
        runbook: "https://runbooks.example.com/orders/submit"
      }
    },
    {
      name: "submit-latency",
      objective: 99,
      period: "30d",
      description: "Order submissions answer within 500ms.",
      sli: {
        latency: {
          histogram: "orders_submit_duration_seconds{job=\"orders\"}",
          threshold: 0.5
        }
      },
      alerting: {
        page: false
      }
    }
  ]
} satisfies ServiceInput;
