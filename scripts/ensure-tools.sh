#!/usr/bin/env bash
# Installs promtool (Debian package `prometheus`), amtool (`prometheus-alertmanager`),
# docker-compose 1.29 (`docker-compose`, to validate docker-compose.yml; no engine needed),
# ip (`iproute2`, to bring up loopback in the namespaces test/stack/container.ts makes) and
# vmalert with a single-node VictoriaMetrics 1.79 (`victoria-metrics`), and Go 1.19 with
# ghodss/yaml (`golang-go`, `golang-github-ghodss-yaml-dev`, to measure PrometheusRules as the
# Operator renders them), and PostgreSQL (`postgresql`, for the receiver's shared store: tests run a
# throwaway cluster of their own, never the package's service) when they are missing.
# Tests call this; it is idempotent and quiet when all is present.
set -euo pipefail

need=()
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
command -v amtool >/dev/null 2>&1 || need+=(prometheus-alertmanager)
command -v prometheus-alertmanager >/dev/null 2>&1 || [[ " ${need[*]-} " == *" prometheus-alertmanager "* ]] || need+=(prometheus-alertmanager)
command -v docker-compose >/dev/null 2>&1 || need+=(docker-compose)
command -v ip >/dev/null 2>&1 || need+=(iproute2)
command -v vmalert >/dev/null 2>&1 && command -v victoria-metrics >/dev/null 2>&1 || need+=(victoria-metrics)
command -v go >/dev/null 2>&1 || need+=(golang-go)
[[ -d /usr/share/gocode/src/github.com/ghodss/yaml ]] || need+=(golang-github-ghodss-yaml-dev)
have_postgres() { compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; }
have_postgres || need+=(postgresql)

if [[ ${#need[@]} -eq 0 ]]; then
  exit 0
fi

echo "ensure-tools: installing ${need[*]} (promtool 2.42, amtool 0.25, docker-compose 1.29, iproute2, victoria-metrics 1.79, Go 1.19, ghodss/yaml and PostgreSQL from Debian)" >&2
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "ensure-tools: need root (or sudo) to apt-get install ${need[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >&2
# --no-install-recommends keeps the install small; the packages' services are never started here.
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
command -v promtool >/dev/null && command -v amtool >/dev/null && command -v docker-compose >/dev/null && command -v ip >/dev/null && command -v vmalert >/dev/null && command -v victoria-metrics >/dev/null && command -v go >/dev/null && [[ -d /usr/share/gocode/src/github.com/ghodss/yaml ]] && have_postgres
