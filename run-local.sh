#!/usr/bin/env bash
# Runs the whole platform on loopback: embedded PostgreSQL and Kafka, the account service, the
# media relay and the signaling edge, with the demo tenant. Ctrl-C stops everything.
#   ./run-local.sh [--reset] [--pbx sip:HOST:PORT] [--data DIR] [--help for every option]
# Builds first when a service is not built yet or its sources changed since (--no-build skips that).
set -euo pipefail
cd "$(dirname "$0")"
root="$(pwd)"

services=(account-service signaling-service media-relay-service)
classpath_file=local-stack/target/launcher.classpath

stamp=local-stack/target/run-local.built

# Build when an output is missing, or when a source or pom is newer than the last build: the
# oldest service jar (Quarkus rewrites them on every build), or this script's last build stamp
# (compilers leave unchanged outputs untouched).
needs_build() {
  local reference=""
  [ -e "$classpath_file" ] || return 0
  for s in "${services[@]}"; do
    local jar="$s/target/quarkus-app/quarkus-run.jar"
    [ -e "$jar" ] || return 0
    if [ -z "$reference" ] || [ "$jar" -ot "$reference" ]; then reference="$jar"; fi
  done
  if [ -e "$stamp" ] && [ "$stamp" -nt "$reference" ]; then reference="$stamp"; fi
  local newer
  newer="$(find . -path ./.local-data -prune -o -path '*/node_modules' -prune -o -path '*/target' -prune \
    -o -path ./.git -prune -o -type f \( -path '*/src/*' -o -name pom.xml \) -newer "$reference" -print -quit)"
  [ -n "$newer" ]
}

build=yes
args=()
for a in "$@"; do
  if [ "$a" = "--no-build" ]; then build=no; else args+=("$a"); fi
done

if [ ! -e "$classpath_file" ] && [ "$build" = no ]; then
  echo "local-stack is not built: run ./run-local.sh without --no-build" >&2
  exit 1
fi
if [ "$build" = yes ] && needs_build; then
  echo "building (./mvnw -q -Dmaven.test.skip=true install)..."
  start=$(date +%s)
  ./mvnw -q -B -Dmaven.test.skip=true install
  touch "$stamp"
  echo "built in $(( $(date +%s) - start )) s"
fi

java_bin="java"
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then java_bin="$JAVA_HOME/bin/java"; fi

# A shell script's background jobs start with SIGINT ignored, which Java cannot undo; reset it so
# the launcher's ordered shutdown also runs on `kill -INT` when started from a script.
reset_signals=()
if env --default-signal=INT true 2>/dev/null; then reset_signals=(env --default-signal=INT); fi

exec "${reset_signals[@]}" "$java_bin" -Dwebcall.repository.root="$root" \
  -cp "local-stack/target/classes:$(cat "$classpath_file")" \
  io.webcall.local.LocalStackMain ${args[@]+"${args[@]}"}
