// Network trouble inside the test's network namespace (the tests run as root there), on the relay's
// WebRTC datagrams toward the browser: nftables drops a share of them (loss), or marks them for an HTB
// class of low rate on loopback, where they queue (delay that grows while the sender sends more than the
// rate). This kernel has no netem. restoreNetwork() removes both.
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

/** Datagrams the rule matched so far (dropped or throttled; 0 when there is none). */
export function matchedPackets() {
  try {
    const listing = execFileSync('nft', ['list', 'table', 'inet', TABLE], { encoding: 'utf8' });
    return Number(/counter packets (\d+)/.exec(listing)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/**
 * Sends the UDP datagrams from `sourcePort` through an HTB class limited to `kbit` kbit/s on loopback
 * (other traffic is not classified and passes straight through): above that rate they queue, so their
 * one-way delay grows by the excess over the rate.
 */
export function throttleUdpFrom(sourcePort, kbit) {
  restoreNetwork();
  execFileSync('tc', ['qdisc', 'add', 'dev', 'lo', 'root', 'handle', '1:', 'htb']);
  execFileSync('tc', ['class', 'add', 'dev', 'lo', 'parent', '1:', 'classid', '1:2', 'htb', 'rate', `${kbit}kbit`, 'ceil', `${kbit}kbit`]);
  execFileSync('nft', ['-f', '-'], {
    input: `table inet ${TABLE} {\n  chain out {\n    type filter hook output priority 0; policy accept;\n`
      + `    udp sport ${sourcePort} meta priority set 1:2 counter\n  }\n}\n`,
  });
}

/** Removes every rule and queue this module added. */
export function restoreNetwork() {
  for (const command of [['nft', 'delete', 'table', 'inet', TABLE], ['tc', 'qdisc', 'del', 'dev', 'lo', 'root']]) {
    try {
      execFileSync(command[0], command.slice(1), { stdio: 'ignore' });
    } catch {
      /* nothing to remove */
    }
  }
}
