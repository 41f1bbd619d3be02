#!/bin/sh
# Entrypoint of the webcall service images.
#
# For every environment variable NAME_FILE whose NAME starts with WEBCALL_, QUARKUS_ or KAFKA_,
# NAME is set to the content of the file it names, unless NAME is set already. Kubernetes mounts
# per-pod values (the media relay's advertised address in relay.mode=perPodService) and secrets
# as files; this turns them into configuration. Then the JVM starts through the base image's
# run-java.sh (JAVA_OPTS_APPEND, container-aware heap sizing).
set -eu

for var in $(env | sed -n 's/^\(\(WEBCALL\|QUARKUS\|KAFKA\)_[A-Z0-9_]*\)_FILE=.*/\1/p'); do
  file=$(printenv "${var}_FILE")
  if [ -z "$(printenv "$var" || true)" ]; then
    if [ ! -r "$file" ]; then
      echo "entrypoint: ${var}_FILE names $file, which does not exist or is not readable" >&2
      exit 64
    fi
    value=$(cat "$file")
    export "$var=$value"
  fi
done

exec "${JAVA_RUN_SCRIPT:-/opt/jboss/container/java/run/run-java.sh}" "$@"
