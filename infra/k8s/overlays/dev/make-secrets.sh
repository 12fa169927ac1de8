#!/usr/bin/env bash
# Creates the Secrets the dev overlay expects and git never holds: one MongoDB password per service
# (random). The services' keys (<service>-keys) are optional in development: each service generates
# its own and keeps it in its store. Run once per cluster, before `kubectl apply -k`.
set -euo pipefail
namespace="${1:-lto-dev}"
kubectl get namespace "$namespace" >/dev/null 2>&1 || kubectl create namespace "$namespace"
for service in gateway ideas adoption catalogue self-employment insights notifications; do
  kubectl -n "$namespace" create secret generic "mongodb-$service-password" \
    --from-literal=password="$(openssl rand -hex 24)" --dry-run=client -o yaml | kubectl apply -f -
done
