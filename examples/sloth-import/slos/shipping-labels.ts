// Imported from sloth (sloth/shipping.yml) by `sloforge import`. Edit freely: this folder is now the source of truth.
// Not carried over, or changed, on import:
// - labels and annotations of one alert tier dropped: sloforge sets severity per tier itself and routes by team (docs/alertmanager.md) (SLO "label-printing", alerting.page_alert)
// - labels and annotations of one alert tier dropped: sloforge sets severity per tier itself and routes by team (docs/alertmanager.md) (SLO "label-printing", alerting.ticket_alert)
import type { ServiceInput } from 'sloforge';

export const shippingLabelsService = {
  name: "shipping-labels",
  team: "fulfilment",
  labels: {
    owner: "fulfilment"
  },
  slos: [
    {
      name: "label-printing",
      objective: 99.9,
      period: "30d",
      description: "Shipping labels print.",
      sli: {
        ratio: {
          errors: "shipping_labels_total{job=\"shipping\",result=\"failed\"}",
          total: "shipping_labels_total{job=\"shipping\"}"
        }
      }
    }
  ]
} satisfies ServiceInput;
