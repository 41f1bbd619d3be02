#!/usr/bin/env bash
# Builds the container images the Helm chart deploys, named and tagged the way the chart's
# defaults expect: <registry>/<service>:<chart appVersion>.
#
# Usage: deploy/docker/build-images.sh [--push] [--skip-package] [--dry-run]
#   REGISTRY          image registry and namespace (default ghcr.io/webcall, the chart's image.registry)
#   TAG               image tag (default: appVersion of deploy/helm/webcall/Chart.yaml)
#   CONTAINER_ENGINE  docker or podman (default docker)
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
chart="$root/deploy/helm/webcall/Chart.yaml"
services=(signaling-service account-service media-relay-service)

push=false package=true dry_run=false
for arg in "$@"; do
  case "$arg" in
    --push) push=true ;;
    --skip-package) package=false ;;
    --dry-run) dry_run=true ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown option $arg (see --help)" >&2; exit 64 ;;
  esac
done

registry=${REGISTRY:-ghcr.io/webcall}
tag=${TAG:-$(sed -n 's/^appVersion:[[:space:]]*"\{0,1\}\([^"]*\)"\{0,1\}[[:space:]]*$/\1/p' "$chart")}
engine=${CONTAINER_ENGINE:-docker}
if [ -z "$tag" ]; then
  echo "no TAG given and no appVersion found in $chart" >&2
  exit 65
fi

run() {
  if $dry_run; then echo "$*"; else "$@"; fi
}

if $package; then
  run "$root/mvnw" -B -q package -DskipTests -pl "$(IFS=,; echo "${services[*]}")" -am
fi
for service in "${services[@]}"; do
  image="$registry/$service:$tag"
  run "$engine" build -f "$root/deploy/docker/$service/Dockerfile" -t "$image" "$root"
  if $push; then
    run "$engine" push "$image"
  fi
done
