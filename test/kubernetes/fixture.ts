// Configs with the `kubernetes` section on, and the manifests they compile to.
import { parse } from 'yaml';
import { compile } from '../../src/compile.js';
import { validateConfig } from '../../src/config/validate.js';
import type { Artifact } from '../../src/output/artifact.js';
import { everyKind } from '../alertmanager/helpers.js';
import { baseConfig } from '../helpers/config.js';
import { parseManifest } from './schemas.js';

export const NAMESPACE = 'monitoring';

/** baseConfig (one service with two SLOs) deployed to Kubernetes, with one remediation. */
export function k8sConfig(): any {
  const cfg = baseConfig();
  cfg.services[0].slos[0].alerting = { remediation: 'restart' };
  cfg.services[0].thresholds = [
    { name: 'cpu', expr: 'avg(rate(process_cpu_seconds_total{job="checkout"}[5m])) * 100', warning: 70, critical: 85, for: '5m' },
  ];
  cfg.remediations = [
    {
      name: 'restart',
      action: {
        http: { url: 'http://checkout-admin:8080/restart', headerFiles: { Authorization: '/etc/sloforge/secrets/checkout-admin' } },
      },
    },
  ];
  cfg.kubernetes = {
    namespace: NAMESPACE,
    labels: { release: 'kube-prometheus-stack' },
    receiver: { image: 'registry.example.com/sloforge:1.0.0' },
  };
  return cfg;
}

/**
 * Every receiver kind, the default-receiver fallback, time intervals, every remediation kind
 * and every option of the section (tests/alertmanager's fixture, its zone in UTC: the CRD has none).
 */
export function everyOption(): any {
  const cfg = structuredClone(everyKind) as any;
  cfg.teams[0].businessHours[0].location = 'UTC';
  const slo = (name: string, job: string) => ({
    name,
    objective: 99.5,
    sli: { ratio: { errors: `http_requests_total{job="${job}",code=~"5.."}`, total: `http_requests_total{job="${job}"}` } },
    alerting: { remediation: 'r' },
  });
  cfg.services[0].slos = [slo('availability', 'checkout')];
  cfg.services[1].slos = [slo('availability', 'worker')];
  cfg.services[2].slos = [{ ...slo('availability', 'llm'), alerting: { enabled: false } }];
  cfg.services.push({
    name: 'unowned',
    team: 'no-receivers',
    thresholds: [{ name: 'queue', expr: 'max(queue_depth{job="unowned"})', warning: 10 }],
  });
  cfg.remediations = [
    {
      name: 'r',
      action: {
        http: {
          url: 'http://127.0.0.1:8080/restart',
          headerFiles: { Authorization: '/etc/sloforge/secrets/restart-token', 'X-Tenant': '/run/tenant' },
        },
      },
    },
    {
      name: 'scale',
      action: {
        kubernetesScale: {
          apiServer: 'https://kubernetes.default.svc',
          namespace: 'apps',
          deployment: 'worker',
          maxReplicas: 10,
          increment: 2,
          tokenFile: '/var/run/secrets/kubernetes.io/serviceaccount/token',
          caFile: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
        },
      },
    },
    {
      name: 'scale-other',
      action: {
        kubernetesScale: {
          apiServer: 'https://k8s.example.com',
          namespace: 'apps',
          deployment: 'api',
          maxReplicas: 4,
          factor: 2,
          tokenFile: '/etc/k8s/token',
          caFile: '/etc/k8s/ca.crt',
        },
      },
    },
    { name: 'cmd', action: { command: { argv: ['/bin/true'] } } },
  ];
  cfg.services[1].thresholds = [{ name: 'backlog', expr: 'max(backlog{job="worker"})', warning: 5, critical: 50, remediation: 'scale' }];
  cfg.kubernetes = {
    namespace: 'observability',
    labels: { release: 'prom', 'example.com/owner': 'sre' },
    alertmanagerConfig: { secret: 'alerting-secrets' },
    dashboards: { label: { name: 'grafana.example.com/dashboard', value: 'yes' }, folderAnnotation: 'grafana.example.com/folder' },
    receiver: {
      image: 'registry.example.com/sloforge@sha256:0123',
      imagePullPolicy: 'IfNotPresent',
      storage: '5Gi',
      storageClassName: 'fast',
      tokenSecret: { name: 'receiver-token', key: 'bearer' },
      secret: 'receiver-files',
      serviceMonitor: { interval: '30s' },
    },
  };
  return cfg;
}

export function compileConfig(cfg: unknown): Artifact[] {
  return compile(validateConfig(cfg));
}

export interface Manifest {
  path: string;
  content: string;
  object: any;
}

export function manifests(artifacts: readonly Artifact[]): Manifest[] {
  return artifacts.filter((a) => a.path.startsWith('kubernetes/')).map((a) => ({ ...a, object: parseManifest(a.content) }));
}

export function ofKind(list: readonly Manifest[], kind: string): Manifest[] {
  return list.filter((m) => m.object.kind === kind);
}

export function artifact(artifacts: readonly Artifact[], path: string): Artifact {
  const a = artifacts.find((x) => x.path === path);
  if (!a) throw new Error(`no artifact ${path}; have ${artifacts.map((x) => x.path).join(', ')}`);
  return a;
}

export const yaml = (text: string): any => parse(text);
