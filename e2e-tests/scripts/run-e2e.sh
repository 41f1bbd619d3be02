#!/usr/bin/env bash
# Runs the browser end-to-end tests inside a fresh network namespace that holds only the loopback
# interface, so the local stack, Chromium and sipp can use their usual ports without meeting
# anything else on this machine, and ICE can only pair 127.0.0.1 with 127.0.0.1.
# Needs root (ip netns). Missing prerequisites: failure under CI=true, a clear skip otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

unavailable() {
  if [ "${CI:-}" = "true" ]; then
    echo "e2e-tests: $1" >&2
    exit 1
  fi
  echo "e2e-tests SKIPPED: $1"
  exit 0
}

for bin in /usr/bin/chromium /usr/bin/sipp; do
  [ -x "$bin" ] || unavailable "$bin is not installed (run: bash .ci/install-deps.sh)"
done
for cmd in ip tshark nft; do
  command -v "$cmd" >/dev/null || unavailable "$cmd is not installed (run: bash .ci/install-deps.sh)"
done
[ -f ../local-stack/target/launcher.classpath ] || { echo "e2e-tests: local-stack is not built (./mvnw -DskipTests install)" >&2; exit 1; }
[ -f target/sipjs.js ] || node scripts/build.mjs

ns="webcall-e2e-$$"
ip netns add "$ns" 2>/dev/null || unavailable "cannot create a network namespace (needs root or CAP_SYS_ADMIN)"
cleanup() { ip netns delete "$ns" 2>/dev/null || true; }
trap cleanup EXIT
ip -n "$ns" link set lo up

start=$(date +%s)
status=0
ip netns exec "$ns" node --test --test-concurrency=1 --test-reporter=spec test/*.test.mjs || status=$?
echo "e2e-tests finished in $(( $(date +%s) - start )) s"
exit $status
