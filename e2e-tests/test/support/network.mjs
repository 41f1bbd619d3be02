// Network trouble inside the test's network namespace (the tests run as root there): nftables drops a
// share of the relay's WebRTC datagrams toward the browser. This kernel has no netem, so loss is what
// can be induced; removing the table restores the network.
import { execFileSync } from 'node:child_process';

const TABLE = 'webcall_e2e';

/** Drops `percent` % of the UDP datagrams sent from `sourcePort` (random, per datagram). */
export function dropUdpFrom(sourcePort, percent) {
  restoreNetwork();
  execFileSync('nft', ['-f', '-'], {
    input: `table inet ${TABLE} {\n  chain out {\n    type filter hook output priority 0; policy accept;\n`
      + `    udp sport ${sourcePort} numgen random mod 100 < ${percent} counter drop\n  }\n}\n`,
  });
}

/** Datagrams dropped so far by the rule (0 when there is none). */
export function droppedPackets() {
  try {
    const listing = execFileSync('nft', ['list', 'table', 'inet', TABLE], { encoding: 'utf8' });
    return Number(/counter packets (\d+)/.exec(listing)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Removes every rule this module added. */
export function restoreNetwork() {
  try {
    execFileSync('nft', ['delete', 'table', 'inet', TABLE], { stdio: 'ignore' });
  } catch {
    /* no table */
  }
}
