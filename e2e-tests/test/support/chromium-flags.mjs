// Chromium's command line for every browser test: headless, kept on loopback (no DNS, no proxy, no
// background traffic to Google services, host candidates not hidden behind mDNS), with fake audio devices
// (beeping microphones, speakers) and autoplay allowed. Plain data with no imports,
// so any test script that drives Debian's Chromium can use the same flags.
export const CHROMIUM_ARGS = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', '--allow-loopback-in-peer-connection',
  '--disable-features=WebRtcHideLocalIpsWithMdns,MediaRouter,DialMediaRouteProvider,OptimizationHints,Translate,CertificateTransparencyComponentUpdater,AutofillServerCommunication',
  '--disable-domain-reliability', '--no-pings', '--disable-client-side-phishing-detection',
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1 , EXCLUDE [::1]',
  '--no-proxy-server', '--dns-prefetch-disable', '--disable-default-apps', '--disable-extensions',
  '--autoplay-policy=no-user-gesture-required',
];

