#!/usr/bin/env bash
# Renders the Kubernetes overlays (infra/k8s/overlays/*) with kustomize's library and validates every
# object offline against the Kubernetes types and the operators' CustomResourceDefinitions
# (cmd/k8s/main.go). Extra arguments go to the tool (e.g. -out rendered.json, other overlays).
#   Strimzi's CRDs: generated once by Strimzi's crd-generator from its api classes (strimzi-crds/pom.xml,
#   Maven Central) into $LTO_CACHE/strimzi-crds-<version>.
#   MongoDB Community's CRD: config/crd/bases of the operator's Go module (pinned in go.mod/go.sum).
# Caches: $LTO_CACHE (default ~/.cache/lto), ~/.m2, Go's module and build caches.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cache="${LTO_CACHE:-$HOME/.cache/lto}"

version="$(sed -n 's:.*<strimzi.version>\(.*\)</strimzi.version>.*:\1:p' "$here/strimzi-crds/pom.xml")"
crds="$cache/strimzi-crds-$version"
if [ ! -f "$crds/.complete" ]; then
  echo "k8s-check: generating Strimzi $version's CRDs with its crd-generator (once)" >&2
  rm -rf "$crds"
  mkdir -p "$crds/libs" "$crds/yaml"
  mvn -q -B -f "$here/strimzi-crds/pom.xml" dependency:copy-dependencies -DoutputDirectory="$crds/libs" >&2
  model=io.strimzi.api.kafka.model
  # The arguments of Strimzi's own build (api/pom.xml) for the kinds the manifests use.
  java -cp "$crds/libs/*" io.strimzi.crdgenerator.CrdGenerator --yaml \
    --api-versions v1beta2 --storage-version v1beta2 \
    "$model.kafka.Kafka=$crds/yaml/040-Crd-kafka.yaml" \
    "$model.topic.KafkaTopic=$crds/yaml/043-Crd-kafkatopic.yaml" \
    "$model.user.KafkaUser=$crds/yaml/044-Crd-kafkauser.yaml" \
    "$model.nodepool.KafkaNodePool=$crds/yaml/04A-Crd-kafkanodepool.yaml" 2>/dev/null
  touch "$crds/.complete"
fi

cd "$here"
go build -o "$cache/opscheck/k8s" ./cmd/k8s
mongodb="$(go list -m -f '{{.Dir}}' github.com/mongodb/mongodb-kubernetes-operator)"
cd "$repo"
# Without an overlay among the arguments: both of the repository's.
overlays=(infra/k8s/overlays/dev infra/k8s/overlays/prod)
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[$i]}" in
    -crds | -out) i=$((i + 1)) ;;
    -*) ;;
    *) overlays=() ;;
  esac
done
exec "$cache/opscheck/k8s" -crds "$crds/yaml" -crds "$mongodb/config/crd/bases" "$@" "${overlays[@]}"
