// A cluster with the Prometheus Operator (kube-prometheus-stack): besides the plain files,
// generated/kubernetes/ holds PrometheusRules, AlertmanagerConfigs, dashboard ConfigMaps and the
// remediation receiver (Deployment, Service, PVC, ServiceMonitor), for `kubectl apply
// --server-side -R -f generated/kubernetes/`. docs/kubernetes.md describes every option.
import { defineConfig, defineRemediation, defineService, defineTeam, defineThresholds, receiverThresholds } from 'sloforge';

const shop = defineTeam({
  name: 'shop',
  page: { opsgenie: { apiKeyFile: '/etc/alertmanager/secrets/shop-opsgenie' } },
  ticket: { slack: { apiUrlFile: '/etc/alertmanager/secrets/slack-webhook', channel: '#shop-alerts' } },
  // Warnings wait for the working day; pages do not. UTC: AlertmanagerConfigs carry no time zone.
  businessHours: [{ weekdays: ['monday:friday'], times: [{ start: '07:00', end: '17:00' }], location: 'UTC' }],
});

// The receiver asks the cart's admin endpoint to recycle its workers when the cart burns its
// budget fast; at most three times an hour, ten minutes apart.
const restartCart = defineRemediation({
  name: 'restart-cart',
  description: 'Recycle the cart workers',
  cooldown: '10m',
  maxPerHour: 3,
  action: {
    http: {
      url: 'http://cart-admin.shop.svc:8080/admin/restart',
      method: 'POST',
      headerFiles: { Authorization: '/etc/sloforge/secrets/cart-admin-authorization' },
      body: { reason: 'SLO {{labels.slo}} of {{labels.service}} is burning its error budget', alert: '{{fingerprint}}' },
      timeout: '5s',
      retries: 2,
    },
  },
});

const cart = defineService({
  name: 'cart',
  team: 'shop',
  labels: { tier: '1' },
  slos: [
    {
      name: 'availability',
      objective: 99.9,
      sli: {
        ratio: {
          errors: 'http_requests_total{namespace="shop",job="cart",code=~"5.."}',
          total: 'http_requests_total{namespace="shop",job="cart"}',
        },
      },
      alerting: { runbook: 'https://runbooks.example.com/cart/availability', remediation: 'restart-cart' },
    },
    {
      name: 'latency',
      objective: 99,
      sli: { latency: { histogram: 'http_request_duration_seconds{namespace="shop",job="cart"}', threshold: 0.25 } },
    },
  ],
  thresholds: defineThresholds([
    {
      name: 'memory',
      expr: 'sum(container_memory_working_set_bytes{namespace="shop",container="cart"}) / sum(kube_pod_container_resource_limits{namespace="shop",container="cart",resource="memory"}) * 100',
      warning: 80,
      critical: 95,
      for: '10m',
      unit: 'percent',
      description: 'Cart containers are close to their memory limit',
    },
  ]),
});

// The receiver's own alerts (down, actions failing), owned by the team that runs it.
const receiver = defineService({ name: 'sloforge-receiver', team: 'shop', thresholds: receiverThresholds({ job: 'sloforge-receiver' }) });

export default defineConfig({
  teams: [shop],
  services: [cart, receiver],
  remediations: [restartCart],
  grafana: { url: 'https://grafana.example.com', datasource: { url: 'http://kube-prometheus-stack-prometheus.monitoring:9090' } },
  // Alertmanager posts the alerts that name a remediation to the receiver, with this token file.
  alertmanager: {
    remediation: {
      url: 'http://sloforge-receiver.monitoring.svc:9095/alerts',
      credentialsFile: '/etc/alertmanager/secrets/sloforge-receiver-token/token',
    },
  },
  kubernetes: {
    namespace: 'monitoring',
    // kube-prometheus-stack's Prometheus selects PrometheusRules by its Helm release label.
    labels: { release: 'kube-prometheus-stack' },
    // An image with sloforge installed (docs/kubernetes.md shows how to build one).
    receiver: { image: 'registry.example.com/sloforge:0.1.0', storage: '1Gi' },
  },
});
