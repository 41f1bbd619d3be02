#!/usr/bin/env bash
# Installs the real peers the tests run against: sipp, Kamailio (websocket, tls), rtpengine, coturn,
# baresip, Chromium, tshark, nftables and iproute2 (network namespaces). Needs root; idempotent.
set -euo pipefail
PACKAGES=(sip-tester kamailio kamailio-websocket-modules kamailio-tls-modules rtpengine-daemon coturn baresip chromium tshark nftables iproute2 procps dnsmasq-base)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "all test peers present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
