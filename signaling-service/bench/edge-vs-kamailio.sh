#!/usr/bin/env bash
# Edge vs Kamailio 5.6 over SIP over WebSocket on loopback (see signaling-service/README.md, "Benchmark").
# Usage: signaling-service/bench/edge-vs-kamailio.sh [--seconds 6] [--warmup 30] [--connections 64] [--calls 32] [--idle 10000,max] [--sources 4] [--only edge|kamailio] [--media relay|none]
# (--idle max: as many idle connections as the descriptor limit allows, at most 50000; EDGE_JAVA_OPTS adds JVM options to the edge;
#  --media relay (default): calls anchored at a media server, our relay for the edge and rtpengine for Kamailio;
#  --media none: SDP passed through both, the call figures are the SIP path only)
# Needs: the packaged edge and media relay (built below unless SKIP_BUILD=1), /usr/bin/sipp, /usr/sbin/kamailio with
# kamailio-websocket-modules; with media also /usr/bin/rtpengine and Kamailio's rtpengine module.
set -euo pipefail
cd "$(dirname "$0")/.."
root=..
for bin in /usr/bin/sipp /usr/sbin/kamailio; do
  [ -x "$bin" ] || { echo "missing $bin (Debian packages sip-tester, kamailio, kamailio-websocket-modules)" >&2; exit 2; }
done
media=relay
prev=
for arg in "$@"; do
  [ "$prev" = --media ] && media=$arg
  prev=$arg
done
modules=signaling-service
if [ "$media" != none ]; then
  [ -x /usr/bin/rtpengine ] || { echo "missing /usr/bin/rtpengine (Debian package rtpengine-daemon; or run with --media none)" >&2; exit 2; }
  [ -f /usr/lib/x86_64-linux-gnu/kamailio/modules/rtpengine.so ] || { echo "missing Kamailio's rtpengine module (Debian package kamailio; or run with --media none)" >&2; exit 2; }
  modules=signaling-service,media-relay-service
fi
# one file descriptor per WebSocket on each side: raise the limit for this shell and its children
want=120000
if [ "$(ulimit -Hn)" != unlimited ] && [ "$(ulimit -Hn)" -lt "$want" ]; then
  ulimit -Hn "$want" 2>/dev/null || want=$(ulimit -Hn)
fi
ulimit -Sn "$want" 2>/dev/null || true
echo "file descriptor limit: $(ulimit -n)"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  "$root/mvnw" -B -o -q -f "$root/pom.xml" -pl "$modules" package -DskipTests
fi
exec timeout 1500 "$root/mvnw" -B -o -q -f "$root/pom.xml" -pl signaling-service exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=io.webcall.signaling.bench.EdgeBenchmark -Dexec.args="$*"
